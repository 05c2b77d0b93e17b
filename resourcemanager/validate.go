package resourcemanager

import (
	"unicode"

	"github.com/resourcekit/alicloud"
)

// Constraints the API description cannot express, written by hand. The
// generated Validate methods call validateCustom after the generated checks
// (required parameters and lengths).

// validDisplayName allows Chinese characters, letters, digits, underscores,
// periods, hyphens and spaces.
func validDisplayName(s string) bool {
	for _, r := range s {
		switch {
		case r <= unicode.MaxASCII && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
		case r == '_' || r == '.' || r == '-' || r == ' ':
		case unicode.Is(unicode.Han, r):
		default:
			return false
		}
	}
	return true
}

// validAccountNamePrefix allows letters, digits and _.-, starting and ending
// with a letter or digit, with no two special characters in a row.
func validAccountNamePrefix(s string) bool {
	prevSpecial := true // the first character may not be special
	for _, r := range s {
		alnum := r <= unicode.MaxASCII && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		special := r == '_' || r == '.' || r == '-'
		switch {
		case alnum:
			prevSpecial = false
		case special:
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

func (r *CreateResourceAccountRequest) validateCustom() error {
	if !validDisplayName(r.DisplayName) {
		return &alicloud.ValidationError{
			Operation: "CreateResourceAccount",
			Field:     "DisplayName",
			Reason:    "may contain only Chinese characters, letters, digits, underscores (_), periods (.), hyphens (-) and spaces",
			Code:      ErrInvalidParameterAccountDisplayName,
		}
	}
	if r.AccountNamePrefix != "" && !validAccountNamePrefix(r.AccountNamePrefix) {
		return &alicloud.ValidationError{
			Operation: "CreateResourceAccount",
			Field:     "AccountNamePrefix",
			Reason:    "may contain only letters, digits and _.-, must start and end with a letter or digit, and may not have two of _.- in a row",
			Code:      ErrInvalidParameterAccountAccountNamePrefix,
		}
	}
	return nil
}
