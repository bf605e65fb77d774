package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// cookieName is the cookie that proves a browser has logged in.
const cookieName = "livebook_auth"

// authMode is how users prove who they are.
type authMode int

const (
	authNone authMode = iota
	authToken
	authPassword
)

// auth checks requests: a cookie set at login, or an Authorization: Bearer header
// with the token or password, or, in token mode, ?token= in the URL, which logs
// the browser in.
type auth struct {
	mode   authMode
	secret string // the token or the password
	cookie string // the cookie's value: random, made at start-up
}

func newAuth(c Config) *auth {
	a := &auth{cookie: randomHex(32)}
	switch {
	case c.Password != "":
		a.mode, a.secret = authPassword, c.Password
	case !c.DisableToken:
		a.mode, a.secret = authToken, c.Token
		if a.secret == "" {
			a.secret = randomHex(16)
		}
	}
	return a
}

// equal compares two secrets in constant time; hashing first hides their lengths.
func equal(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// authenticated reports whether r carries the cookie or a bearer secret.
func (a *auth) authenticated(r *http.Request) bool {
	if a.mode == authNone {
		return true
	}
	if c, err := r.Cookie(cookieName); err == nil && equal(c.Value, a.cookie) {
		return true
	}
	if h, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && equal(strings.TrimSpace(h), a.secret) {
		return true
	}
	return false
}

// setCookie logs the browser in.
func (a *auth) setCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    a.cookie,
		Path:     "/",
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteStrictMode,
	})
}

// require lets authenticated requests through to next. In token mode a correct
// ?token= authenticates the request and sets the cookie; a browser page request
// is then redirected to the same URL without the token. Others get 401, or a
// redirect to the login form for browser page requests.
func (a *auth) require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.authenticated(r) {
			next.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		if tok := q.Get("token"); a.mode == authToken && tok != "" && equal(tok, a.secret) {
			a.setCookie(w, r)
			if isPage(r) {
				q.Del("token")
				u := *r.URL
				u.RawQuery = q.Encode()
				http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if isPage(r) {
			http.Redirect(w, r, "/authenticate?return_to="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="livebook"`)
		writeError(w, http.StatusUnauthorized, errUnauthorized)
	})
}

// isPage reports whether r is a browser asking for a page, rather than an API,
// websocket or metrics request.
func isPage(r *http.Request) bool {
	return r.Method == http.MethodGet && !strings.HasPrefix(r.URL.Path, "/api/") &&
		r.URL.Path != "/metrics" && strings.Contains(r.Header.Get("Accept"), "text/html")
}

// safeReturn returns to when it is a path on this server, and "/" otherwise, so
// the login form cannot send users elsewhere.
func safeReturn(to string) string {
	if !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") || strings.HasPrefix(to, `/\`) {
		return "/"
	}
	u, err := url.Parse(to)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return to
}

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Livebook: log in</title></head>
<body>
<h1>Livebook</h1>
{{if .Failed}}<p role="alert">That {{.Field}} is not right.</p>{{end}}
<form method="post" action="/authenticate">
<input type="hidden" name="return_to" value="{{.ReturnTo}}">
<label>{{if eq .Field "password"}}Password{{else}}Token (printed when the server started){{end}}
<input type="password" name="{{.Field}}" autofocus required></label>
<button type="submit">Log in</button>
</form>
</body></html>
`))

// handleLoginForm shows the form for the password or the token.
func (a *auth) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	a.login(w, r, false, http.StatusOK)
}

func (a *auth) login(w http.ResponseWriter, r *http.Request, failed bool, status int) {
	if a.mode == authNone {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	field := "token"
	if a.mode == authPassword {
		field = "password"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = loginPage.Execute(w, map[string]any{
		"Field": field, "Failed": failed, "ReturnTo": safeReturn(r.FormValue("return_to")),
	})
}

// handleAuthenticate checks a posted password or token; when it is right it sets
// the cookie and redirects to return_to.
func (a *auth) handleAuthenticate(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	field := "token"
	if a.mode == authPassword {
		field = "password"
	}
	if a.mode != authNone && !equal(r.PostForm.Get(field), a.secret) {
		a.login(w, r, true, http.StatusUnauthorized)
		return
	}
	a.setCookie(w, r)
	http.Redirect(w, r, safeReturn(r.PostForm.Get("return_to")), http.StatusSeeOther)
}
