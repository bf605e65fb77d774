/* gemm.c: the OpenBLAS peer of gonxbench's GEMM table.
 *
 * Built by gonxbench at run time (gcc -O2 gemm.c -lopenblas) and run once per
 * OpenBLAS configuration (as detected, and with OPENBLAS_CORETYPE forced).
 * It times cblas_sgemm / cblas_dgemm on row-major n×n matrices with the loop of
 * bench.Protocol and prints JSON lines (see bench/peer.go):
 *
 *   gemm --threads 2 --target-ms 1000 --rounds 5 --system OpenBLAS \
 *        --dtypes f32,f64 --sizes 256,512
 *
 * The operands are filled as gonxbench fills nx's, and "check" is the sum of
 * the squares of the product's elements, so the Go side can compare results.
 * The prototypes are declared here, so no cblas.h is needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { RowMajor = 101, NoTrans = 111 };
void cblas_sgemm(int, int, int, int, int, int, float, const float *, int,
                 const float *, int, float, float *, int);
void cblas_dgemm(int, int, int, int, int, int, double, const double *, int,
                 const double *, int, double, double *, int);
char *openblas_get_config(void);
char *openblas_get_corename(void);
int openblas_get_num_threads(void);

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmpd(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double target_s = 1, threads_unused;
static int rounds_max = 5;

/* measure times one case with the protocol of bench.Protocol and returns the
 * median time of one call in seconds. */
static double measure(void (*fn)(void *), void *arg) {
	double t0 = now();
	fn(arg);
	t0 = now() - t0;
	if (t0 <= 0) t0 = 1e-9;
	int rounds = rounds_max < 1 ? 1 : rounds_max;
	int fit = (int)(target_s / t0);
	if (fit < rounds) rounds = fit < 1 ? 1 : fit;
	long calls = (long)(target_s / rounds / t0 + 0.5);
	if (calls < 1) calls = 1;
	double per[64];
	if (rounds > 64) rounds = 64;
	for (int r = 0; r < rounds; r++) {
		double s = now();
		for (long i = 0; i < calls; i++) fn(arg);
		per[r] = (now() - s) / calls;
	}
	qsort(per, rounds, sizeof per[0], cmpd);
	return rounds % 2 ? per[rounds / 2] : (per[rounds / 2 - 1] + per[rounds / 2]) / 2;
}

struct gemm { int n, f64; void *a, *b, *c; };

static void run(void *p) {
	struct gemm *g = p;
	if (g->f64)
		cblas_dgemm(RowMajor, NoTrans, NoTrans, g->n, g->n, g->n, 1, g->a, g->n, g->b, g->n, 0, g->c, g->n);
	else
		cblas_sgemm(RowMajor, NoTrans, NoTrans, g->n, g->n, g->n, 1, g->a, g->n, g->b, g->n, 0, g->c, g->n);
}

/* fill matches fillMatrix in cmd/gonxbench. */
static double fill(long i, int seed) { return (double)((i * 7 + seed * 13) % 17) / 8 - 1; }

/* blaslib returns the path of the first mapped library whose name has "blas". */
static void blaslib(char *buf, size_t len) {
	snprintf(buf, len, "unknown");
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f) return;
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		char *path = strchr(line, '/');
		if (path && strstr(path, "blas")) {
			path[strcspn(path, "\n")] = 0;
			snprintf(buf, len, "%s", path);
			break;
		}
	}
	fclose(f);
}

int main(int argc, char **argv) {
	const char *system = "OpenBLAS", *dtypes = "f32,f64";
	char sizes[1024] = "256,512,1024,2048";
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--target-ms")) target_s = atof(argv[i + 1]) / 1e3;
		else if (!strcmp(argv[i], "--rounds")) rounds_max = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--threads")) threads_unused = atof(argv[i + 1]); /* OPENBLAS_NUM_THREADS pins them */
		else if (!strcmp(argv[i], "--system")) system = argv[i + 1];
		else if (!strcmp(argv[i], "--dtypes")) dtypes = argv[i + 1];
		else if (!strcmp(argv[i], "--sizes")) snprintf(sizes, sizeof sizes, "%s", argv[i + 1]);
		else { fprintf(stderr, "gemm: unknown flag %s\n", argv[i]); return 2; }
	}
	char lib[1024], *cfg = openblas_get_config();
	blaslib(lib, sizeof lib);
	printf("{\"info\": \"%s\", \"value\": \"%s; core %s; %d threads; %s\"}\n", system, cfg,
	       openblas_get_corename(), openblas_get_num_threads(), lib);
	fflush(stdout);
	for (int f64 = 0; f64 < 2; f64++) {
		const char *dt = f64 ? "f64" : "f32";
		if (!strstr(dtypes, dt)) continue;
		char list[1024];
		snprintf(list, sizeof list, "%s", sizes);
		for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
			int n = atoi(tok);
			size_t es = f64 ? sizeof(double) : sizeof(float), nn = (size_t)n * n;
			struct gemm g = {n, f64, malloc(nn * es), malloc(nn * es), calloc(nn, es)};
			if (!g.a || !g.b || !g.c) { fprintf(stderr, "gemm: out of memory at n=%d\n", n); return 1; }
			for (size_t i = 0; i < nn; i++) {
				if (f64) { ((double *)g.a)[i] = fill(i, 1); ((double *)g.b)[i] = fill(i, 2); }
				else { ((float *)g.a)[i] = fill(i, 1); ((float *)g.b)[i] = fill(i, 2); }
			}
			double per = measure(run, &g), check = 0;
			for (size_t i = 0; i < nn; i++) {
				double v = f64 ? ((double *)g.c)[i] : ((float *)g.c)[i];
				check += v * v;
			}
			printf("{\"system\": \"%s\", \"case\": \"%s %d\", \"ns\": %.1f, \"check\": %.17g}\n", system, dt, n, per * 1e9, check);
			fflush(stdout);
			free(g.a); free(g.b); free(g.c);
		}
	}
	return 0;
}
