package waiter

import (
	"context"
	"fmt"

	"github.com/resourcekit/alicloud"
)

// AllPages makes one poll of a list operation that pages by NextToken: it
// calls the operation for the first page and for every page after it, each
// on a copy of req, and returns the first page's reply into which merge
// has folded each later page (its items appended, its token carried over,
// so the merged reply ends with an empty token). A list waiter so judges
// every item, not only those of the first page. A token the service
// repeats ends the poll with alicloud.ErrRepeatedToken, and a run of
// alicloud.MaxStalePages empty pages (count says how many items a page
// has) with alicloud.ErrNoProgress.
func AllPages[Req, Resp any](ctx context.Context, req *Req,
	call func(context.Context, *Req) (*Resp, error),
	setToken func(*Req, string), token func(*Resp) string, count func(*Resp) int,
	merge func(into, page *Resp),
) (*Resp, error) {
	first, err := call(ctx, req)
	if err != nil {
		return nil, err
	}
	next := token(first)
	seen := map[string]bool{}
	stale := 0
	if count(first) == 0 {
		stale++
	}
	for next != "" {
		if seen[next] {
			return nil, fmt.Errorf("page token %q: %w", next, alicloud.ErrRepeatedToken)
		}
		if stale >= alicloud.MaxStalePages {
			return nil, fmt.Errorf("%d empty pages in a row: %w", stale, alicloud.ErrNoProgress)
		}
		seen[next] = true
		r := *req
		setToken(&r, next)
		page, err := call(ctx, &r)
		if err != nil {
			return nil, err
		}
		if count(page) == 0 {
			stale++
		} else {
			stale = 0
		}
		merge(first, page)
		next = token(page)
	}
	return first, nil
}
