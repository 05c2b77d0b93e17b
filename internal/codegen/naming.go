package main

import (
	"strings"
	"unicode"
)

// singular turns a list's name into its element's name: Policies -> Policy,
// RegionStatuses -> RegionStatus, Resources -> Resource, Tag -> Tag.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 3:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "uses"), strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "ss"), strings.HasSuffix(s, "us"), strings.HasSuffix(s, "is"):
		return s
	case strings.HasSuffix(s, "s") && len(s) > 1:
		return s[:len(s)-1]
	}
	return s
}

// errConstName applies the documented rule: drop the dots, keep each
// segment's casing, prefix Err. Characters that cannot appear in an
// identifier are dropped too, capitalising what follows.
func errConstName(code string) string {
	var b strings.Builder
	b.WriteString("Err")
	upperNext := true
	for _, r := range code {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			upperNext = true
			continue
		}
		if upperNext {
			r = unicode.ToUpper(r)
			upperNext = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// enumConstSuffix turns an enumeration value into the tail of its constant
// name: "Pending" -> "Pending", "non_resell" -> "NonResell", "IN_PROGRESS"
// -> "InProgress", "zh-CN" -> "ZhCN", "0" -> "0".
func enumConstSuffix(v string) string {
	parts := strings.FieldsFunc(v, func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r)) })
	screaming := strings.ToUpper(v) == v && strings.Contains(v, "_")
	var b strings.Builder
	for _, p := range parts {
		// SCREAMING_CASE words read better title-cased (IN_PROGRESS ->
		// InProgress, SUCCESS -> Success); short acronyms (RAM, OK) stay.
		if strings.ToUpper(p) == p && containsLetter(p) && (screaming || len(p) > 3) {
			p = strings.ToLower(p)
		}
		b.WriteString(strings.ToUpper(p[:1]) + p[1:])
	}
	return b.String()
}

func containsLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// splitWords splits a CamelCase identifier: "ListResourceShareInvitations"
// -> [List Resource Share Invitations]; "ListTagKeys" -> [List Tag Keys].
func splitWords(s string) []string {
	var words []string
	start := 0
	rs := []rune(s)
	for i := 1; i < len(rs); i++ {
		if unicode.IsUpper(rs[i]) && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))) {
			words = append(words, string(rs[start:i]))
			start = i
		}
	}
	return append(words, string(rs[start:]))
}

// verbs gives the third-person form of the verbs operation names start with.
var verbs = map[string]string{
	"Get": "returns", "List": "lists", "Create": "creates", "Delete": "deletes", "Update": "updates",
	"Accept": "accepts", "Reject": "rejects", "Associate": "associates", "Disassociate": "disassociates",
	"Attach": "attaches", "Detach": "detaches", "Enable": "enables", "Disable": "disables",
	"Move": "moves", "Cancel": "cancels", "Decline": "declines", "Invite": "invites", "Remove": "removes",
	"Check": "checks", "Send": "sends", "Resend": "resends", "Set": "sets", "Tag": "tags", "Untag": "untags",
	"Change": "changes", "Register": "registers", "Deregister": "deregisters", "Init": "initializes",
	"Destroy": "destroys", "Promote": "promotes", "Bind": "binds", "Verify": "verifies", "Lookup": "looks up",
	"Describe": "describes", "Change ": "changes", "Retry": "retries", "Assume": "assumes", "Execute": "executes",
	"Modify": "modifies", "Query": "queries", "Add": "adds", "Cancel ": "cancels", "Put": "puts",
}

// summary writes the one-line description of an operation from its name.
func summary(op string) string {
	w := splitWords(op)
	verb, ok := verbs[w[0]]
	if !ok {
		verb = strings.ToLower(w[0]) + "s"
	}
	rest := make([]string, 0, len(w)-1)
	for _, x := range w[1:] {
		if len(x) > 1 && strings.ToUpper(x) == x {
			rest = append(rest, x)
			continue
		}
		rest = append(rest, strings.ToLower(x))
	}
	obj := strings.Join(rest, " ")
	if w[0] == "Get" || w[0] == "Describe" {
		return op + " " + verb + " the " + obj + "."
	}
	if obj == "" {
		return op + " " + verb + "."
	}
	return op + " " + verb + " " + obj + "."
}
