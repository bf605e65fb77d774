package kernel

import (
	"go/scanner"
	"go/token"
)

// itemKind tells the top-level pieces of a cell apart.
type itemKind int

const (
	itemImport itemKind = iota // an import declaration
	itemDecl                   // a type, const or func declaration
	itemStmt                   // a statement, top-level var declarations included
	itemSkip                   // a package clause, ignored
)

// item is one top-level piece of a cell's source.
type item struct {
	kind       itemKind
	start, end int // byte offsets in the cell source
}

type tokInfo struct {
	tok token.Token
	off int
	end int
}

// segment splits a cell's source into top-level items: it scans tokens and cuts at
// the semicolons (written or implied by a newline) outside any bracket. Malformed
// source still splits; the parser reports what is wrong.
func segment(src []byte) []item {
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, 0)
	var items []item
	var toks []tokInfo
	depth := 0
	flush := func() {
		if len(toks) > 0 {
			items = append(items, item{kind: classify(toks), start: toks[0].off, end: toks[len(toks)-1].end})
		}
		toks = toks[:0]
	}
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		off := file.Offset(pos)
		switch tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if depth > 0 {
				depth--
			}
		case token.SEMICOLON:
			if depth == 0 {
				flush()
				continue
			}
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue // implied by a newline or the end, inside brackets
		}
		n := len(lit)
		if n == 0 {
			n = len(tok.String())
		}
		toks = append(toks, tokInfo{tok: tok, off: off, end: min(off+n, len(src))})
	}
	flush()
	return items
}

// classify tells what kind of item a token sequence starts.
func classify(toks []tokInfo) itemKind {
	at := func(i int) token.Token {
		if i < len(toks) {
			return toks[i].tok
		}
		return token.ILLEGAL
	}
	switch at(0) {
	case token.PACKAGE:
		return itemSkip
	case token.IMPORT:
		return itemImport
	case token.TYPE, token.CONST:
		return itemDecl
	case token.FUNC:
		switch at(1) {
		case token.IDENT:
			return itemDecl
		case token.LPAREN:
			// A method declaration, func (r T) name(...), or a function literal used
			// as a statement, func(...) ... { ... }(...).
			depth := 0
			for i := 1; i < len(toks); i++ {
				switch toks[i].tok {
				case token.LPAREN, token.LBRACK, token.LBRACE:
					depth++
				case token.RPAREN, token.RBRACK, token.RBRACE:
					depth--
				}
				if depth == 0 {
					if at(i+1) == token.IDENT && at(i+2) == token.LPAREN {
						return itemDecl
					}
					return itemStmt
				}
			}
		}
	}
	return itemStmt
}
