package emulator

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Character-set rules of names and the shapes of identifiers, as the API
// reference describes them.

func isASCIIAlnum(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

// validDisplayName: Chinese characters, letters, digits, underscores,
// periods, hyphens and spaces (account display names).
func validDisplayName(s string) bool {
	return allRunes(s, func(r rune) bool {
		return isASCIIAlnum(r) || unicode.Is(unicode.Han, r) || strings.ContainsRune("_.- ", r)
	})
}

// validFolderName: Chinese characters, letters, digits, underscores,
// periods and hyphens.
func validFolderName(s string) bool {
	return allRunes(s, func(r rune) bool {
		return isASCIIAlnum(r) || unicode.Is(unicode.Han, r) || strings.ContainsRune("_.-", r)
	})
}

// validShareName: Chinese characters, letters, digits, periods, underscores
// and hyphens.
func validShareName(s string) bool { return validFolderName(s) }

// validResourceGroupName: letters, digits, periods, underscores and hyphens.
func validResourceGroupName(s string) bool {
	return allRunes(s, func(r rune) bool { return isASCIIAlnum(r) || strings.ContainsRune("_.-", r) })
}

// validPrintable rejects control characters (resource group display
// names, notes).
func validPrintable(s string) bool {
	return utf8.ValidString(s) && allRunes(s, func(r rune) bool { return !unicode.IsControl(r) })
}

// validAccountNamePrefix: letters, digits and the special characters _ . -,
// starting and ending with a letter or digit, without two special characters
// in a row.
func validAccountNamePrefix(s string) bool {
	if s == "" {
		return false
	}
	prevSpecial := true // forbids a leading special character
	for _, r := range s {
		switch {
		case isASCIIAlnum(r):
			prevSpecial = false
		case strings.ContainsRune("_.-", r):
			if prevSpecial {
				return false
			}
			prevSpecial = true
		default:
			return false
		}
	}
	return !prevSpecial
}

// validEmail is a plain check of an e-mail address's shape.
func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(s) > 254 || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return false
	}
	return allRunes(s, func(r rune) bool {
		return isASCIIAlnum(r) || strings.ContainsRune("@._+-", r)
	})
}

func allRunes(s string, ok func(rune) bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !ok(r) {
			return false
		}
	}
	return true
}

// idShape reports whether s is prefix followed by n ASCII letters or digits
// (any number from minN to maxN).
func idShape(s, prefix string, minN, maxN int) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || len(rest) < minN || len(rest) > maxN {
		return false
	}
	return allRunes(rest, isASCIIAlnum)
}

// validFolderID: "r-" and 6 characters (the root) or "fd-" and 10.
func validFolderID(s string) bool { return idShape(s, "r-", 6, 6) || idShape(s, "fd-", 10, 10) }

// validAccountID: the digits of an Alibaba Cloud account ID.
func validAccountID(s string) bool {
	if len(s) < 4 || len(s) > 20 || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
