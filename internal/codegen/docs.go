package main

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/resourcekit/alicloud/internal/apimodel"
)

// The documentation overlay (internal/apimodel/docs-<product>.json) says
// what each operation, parameter, reply field and entity means. These
// look-ups place it: request parameters by their path in the operation,
// top-level reply fields by name, and the fields of every reply object by
// the entity the object is (the singular of its list's name, or the
// object's own name), whichever operation returns it.

// opSummary is the operation's description, or "".
func (p *product) opSummary(op string) string {
	return strings.TrimSpace(p.docs.Operations[op].Summary)
}

// fieldDescription is the description of a field, or "".
func (p *product) fieldDescription(f *field) string {
	if f.path == "" {
		return ""
	}
	sep := strings.IndexAny(f.path, "<>")
	if sep < 0 {
		return ""
	}
	op, rest := f.path[:sep], f.path[sep+1:]
	od := p.docs.Operations[op]
	if f.path[sep] == '>' {
		return strings.TrimSpace(od.Request[strings.ReplaceAll(rest, "[]", "")])
	}
	dot := strings.LastIndex(rest, ".")
	if dot < 0 {
		return strings.TrimSpace(od.Response[rest])
	}
	return strings.TrimSpace(p.docs.Entities[p.entityOfPath(rest[:dot])].Fields[f.Name])
}

// entityOfPath names the entity of a reply object from its path:
// "Accounts.Account[]" is Account, "ResourceShares[]" ResourceShare,
// "ResourceDirectory" itself.
func (p *product) entityOfPath(path string) string {
	last := path[strings.LastIndex(path, ".")+1:]
	if name, ok := strings.CutSuffix(last, "[]"); ok {
		// A wrapped list's items are already named in the singular.
		if _, known := p.docs.Entities[name]; known {
			return name
		}
		return apimodel.Singular(name)
	}
	return last
}

// typeSummary is the description of a reply type, or "".
func (p *product) typeSummary(st *structType) string {
	if d := strings.TrimSpace(p.docs.Entities[st.Name].Summary); d != "" {
		return d
	}
	sep := strings.IndexAny(st.path, "<>")
	if sep < 0 || st.path[sep] == '>' {
		return ""
	}
	return strings.TrimSpace(p.docs.Entities[p.entityOfPath(st.path[sep+1:])].Summary)
}

// lowerInitial turns a description into the rest of a sentence that starts
// with a Go name ("Accepts..." after "AcceptX" becomes "accepts..."),
// leaving acronyms (RAM, ID) as they are.
func lowerInitial(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
