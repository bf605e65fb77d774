/* A host implementation of the NVRTC entry points that package cuda binds. It
 * "compiles" by prefixing the source with a header naming the target (which
 * the fake libcuda checks when loading), fails on a source holding #error with
 * a log in NVRTC's format, and records the options it was given. Built by the
 * package's tests into libnvrtc.so.12. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protos.h"

struct nvrtcProgram_st { int magic; char *src, *name, *out, *log; int cubin; };

static char last_options[4096];

const char *fake_nvrtc_last_options(void) { return last_options; }

#define ENTER(fn) do { int e_ = fake_should_fail(fn); if (e_) return e_; } while (0)

nvrtcResult nvrtcVersion(int *major, int *minor) {
	ENTER("nvrtcVersion");
	*major = 12; *minor = 4;
	return 0;
}

static const int archs[] = {50, 60, 70, 75, 80, 86, 89};

nvrtcResult nvrtcGetNumSupportedArchs(int *numArchs) {
	*numArchs = (int)(sizeof archs / sizeof archs[0]);
	return 0;
}

nvrtcResult nvrtcGetSupportedArchs(int *supportedArchs) {
	memcpy(supportedArchs, archs, sizeof archs);
	return 0;
}

nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int numHeaders, const char * const *headers, const char * const *includeNames) {
	ENTER("nvrtcCreateProgram");
	if (!prog || !src || numHeaders < 0 || (numHeaders > 0 && (!headers || !includeNames))) return 3;
	nvrtcProgram p = calloc(1, sizeof *p);
	p->magic = 0x4E;
	p->src = strdup(src);
	p->name = strdup(name ? name : "default_program");
	p->log = strdup("");
	*prog = p;
	return 0;
}

nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char * const *options) {
	ENTER("nvrtcCompileProgram");
	if (!prog || prog->magic != 0x4E) return 4;
	if (numOptions < 0 || (numOptions > 0 && !options)) return 3;
	last_options[0] = 0;
	char target[32] = "";
	for (int i = 0; i < numOptions; i++) {
		strncat(last_options, options[i], sizeof last_options - strlen(last_options) - 2);
		strcat(last_options, "\n");
		if (strncmp(options[i], "--gpu-arch=", 11) == 0) snprintf(target, sizeof target, "%s", options[i] + 11);
		else if (options[i][0] != '-') return 5; /* NVRTC_ERROR_INVALID_OPTION */
	}
	if (!target[0]) return 5;
	const char *err = strstr(prog->src, "#error");
	if (err) {
		int line = 1;
		for (const char *c = prog->src; c < err; c++) line += *c == '\n';
		const char *eol = strchr(err, '\n');
		int n = eol ? (int)(eol - err) : (int)strlen(err);
		free(prog->log);
		prog->log = malloc(strlen(prog->name) + (size_t)n + 96);
		sprintf(prog->log, "%s(%d): error: %.*s\n\n1 error detected in the compilation of \"%s\".\n", prog->name, line, n, err, prog->name);
		return 6; /* NVRTC_ERROR_COMPILATION */
	}
	prog->cubin = strncmp(target, "sm_", 3) == 0;
	free(prog->out);
	prog->out = malloc(strlen(prog->src) + 64);
	sprintf(prog->out, "%s %s\n%s", prog->cubin ? "//FAKECUBIN" : "//FAKEPTX", target, prog->src);
	return 0;
}

nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t *logSizeRet) {
	if (!prog || prog->magic != 0x4E) return 4;
	*logSizeRet = strlen(prog->log) + 1;
	return 0;
}

nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char *log) {
	if (!prog || prog->magic != 0x4E) return 4;
	strcpy(log, prog->log);
	return 0;
}

/* As NVRTC does, the sizes count the terminating NUL. */
nvrtcResult nvrtcGetPTXSize(nvrtcProgram prog, size_t *ptxSizeRet) {
	if (!prog || prog->magic != 0x4E || !prog->out || prog->cubin) return 4;
	*ptxSizeRet = strlen(prog->out) + 1;
	return 0;
}

nvrtcResult nvrtcGetPTX(nvrtcProgram prog, char *ptx) {
	ENTER("nvrtcGetPTX");
	if (!prog || prog->magic != 0x4E || !prog->out || prog->cubin) return 4;
	strcpy(ptx, prog->out);
	return 0;
}

nvrtcResult nvrtcGetCUBINSize(nvrtcProgram prog, size_t *cubinSizeRet) {
	if (!prog || prog->magic != 0x4E || !prog->out || !prog->cubin) return 4;
	*cubinSizeRet = strlen(prog->out) + 1;
	return 0;
}

nvrtcResult nvrtcGetCUBIN(nvrtcProgram prog, char *cubin) {
	if (!prog || prog->magic != 0x4E || !prog->out || !prog->cubin) return 4;
	strcpy(cubin, prog->out);
	return 0;
}

nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog) {
	if (!prog || !*prog || (*prog)->magic != 0x4E) return 4;
	(*prog)->magic = 0;
	free((*prog)->src); free((*prog)->name); free((*prog)->out); free((*prog)->log);
	free(*prog);
	*prog = NULL;
	return 0;
}

const char *nvrtcGetErrorString(nvrtcResult result) {
	switch (result) {
	case 0: return "NVRTC_SUCCESS";
	case 3: return "NVRTC_ERROR_INVALID_INPUT";
	case 4: return "NVRTC_ERROR_INVALID_PROGRAM";
	case 5: return "NVRTC_ERROR_INVALID_OPTION";
	case 6: return "NVRTC_ERROR_COMPILATION";
	}
	return "NVRTC_ERROR unknown";
}
