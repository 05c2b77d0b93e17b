package emulator

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// pageInfo is the PageNumber/PageSize/TotalCount trio of the Resource
// Manager list replies.
type pageInfo struct {
	PageNumber int
	PageSize   int
	TotalCount int
}

// pageByNumber cuts one page out of items by the PageNumber (default 1) and
// PageSize (default 10) parameters, which validate has range-checked. A page
// past the end is empty.
func pageByNumber[T any](c *call, items []T) ([]T, pageInfo) {
	pn := max(1, c.p.integer("PageNumber", 1))
	ps := min(100, max(1, c.p.integer("PageSize", 10)))
	info := pageInfo{PageNumber: pn, PageSize: ps, TotalCount: len(items)}
	if pn-1 > len(items)/ps {
		return []T{}, info
	}
	start := (pn - 1) * ps
	if start >= len(items) {
		return []T{}, info
	}
	end := min(len(items), start+ps)
	return items[start:end], info
}

// tokenPrefix marks the emulator's NextToken values.
const tokenPrefix = "emulator-offset:"

// pageByToken cuts one page out of items by NextToken and MaxResults
// (default 20). The token is an opaque encoding of the offset of the next
// item; a token the emulator did not issue is InvalidParameter.NextToken.
func pageByToken[T any](c *call, items []T) ([]T, string, error) {
	size := min(100, max(1, c.p.integer("MaxResults", 20)))
	start := 0
	if tok := c.p.get("NextToken"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil {
			return nil, "", invalidParam(c.codes, "NextToken", "")
		}
		n, ok := strings.CutPrefix(string(raw), tokenPrefix)
		off, err := strconv.Atoi(n)
		if !ok || err != nil || off < 0 || off > len(items) {
			return nil, "", invalidParam(c.codes, "NextToken", "")
		}
		start = off
	}
	end := min(len(items), start+size)
	next := ""
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte(tokenPrefix + strconv.Itoa(end)))
	}
	return items[start:end], next, nil
}
