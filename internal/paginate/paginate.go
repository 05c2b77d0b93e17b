// Package paginate turns the two paging styles of the RPC APIs into Go
// iterators: NextToken/MaxResults and PageNumber/PageSize with a TotalCount.
//
// Every iterator works on a copy of the caller's request, fetches a page only
// when the loop asks for more (breaking out of the loop stops fetching),
// yields an error at most once and then stops.
//
// A walk also stops when the service stops making progress: after
// MaxStalePages pages in a row that bring nothing new (no items, or the same
// items as the page before) it yields ErrNoProgress. A service that ignores
// PageNumber, or hands out a fresh NextToken with every empty page, would
// otherwise keep the loop fetching until its deadline.
package paginate

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
)

// ErrRepeatedToken is returned when the service hands back a NextToken it
// returned before: following it would loop forever.
var ErrRepeatedToken = errors.New("pagination: the service repeated a NextToken")

// ErrNoProgress is returned when MaxStalePages pages in a row brought
// nothing new.
var ErrNoProgress = errors.New("pagination: the service returned pages without new items")

// MaxStalePages is how many pages in a row may bring nothing new before a
// walk gives up with ErrNoProgress. Services do return the odd empty page
// with a token (a filter that matched nothing in one shard), never a
// hundred in a row.
const MaxStalePages = 100

// progress counts the pages in a row that brought nothing new.
type progress[Item any] struct {
	stale int
	prev  []Item
}

// next judges one page's items; it returns ErrNoProgress once the run of
// stale pages reaches MaxStalePages.
func (p *progress[Item]) next(items []Item) error {
	if len(items) == 0 || (len(items) == len(p.prev) && reflect.DeepEqual(items, p.prev)) {
		p.stale++
	} else {
		p.stale = 0
	}
	p.prev = items
	if p.stale >= MaxStalePages {
		return fmt.Errorf("%w: %d pages in a row", ErrNoProgress, p.stale)
	}
	return nil
}

// Integer is the type of a page number or size parameter.
type Integer interface{ ~int32 | ~int64 }

// Fetch calls the operation for one page.
type Fetch[Req, Resp any] func(ctx context.Context, req *Req) (*Resp, error)

// TokenPages iterates over NextToken-style pages. setToken writes the token
// into a request copy; nextToken reads the next token from a page; items
// reads its items, to tell a page that brings nothing new.
func TokenPages[Req, Resp, Item any](ctx context.Context, req *Req, fetch Fetch[Req, Resp],
	setToken func(*Req, string), nextToken func(*Resp) string, items func(*Resp) []Item) iter.Seq2[*Resp, error] {
	return func(yield func(*Resp, error) bool) {
		var cp Req
		if req != nil {
			cp = *req
		}
		seen := map[string]bool{}
		var prog progress[Item]
		for {
			// Each fetch gets its own copy: a fetch (or a fake) may keep the
			// request it was given.
			sent := cp
			page, err := fetch(ctx, &sent)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(page, nil) {
				return
			}
			tok := nextToken(page)
			if tok == "" {
				return
			}
			if err := prog.next(items(page)); err != nil {
				yield(nil, err)
				return
			}
			if seen[tok] {
				yield(nil, fmt.Errorf("%w: %q", ErrRepeatedToken, tok))
				return
			}
			seen[tok] = true
			setToken(&cp, tok)
		}
	}
}

// NumberPages iterates over PageNumber-style pages. It stops after a page
// with no items and after the page that reaches TotalCount. items reads a
// page's items, to tell a page that repeats the one before.
func NumberPages[Req, Resp, Item any, N Integer](ctx context.Context, req *Req, fetch Fetch[Req, Resp],
	pageNumber func(*Req) *N, pageSize func(*Req) N,
	count func(*Resp) (total int64, echoedPage, echoedSize N), items func(*Resp) []Item) iter.Seq2[*Resp, error] {
	return func(yield func(*Resp, error) bool) {
		var cp Req
		if req != nil {
			cp = *req
		}
		var prog progress[Item]
		for {
			sent := cp
			page, err := fetch(ctx, &sent)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(page, nil) {
				return
			}
			pn := pageNumber(&cp)
			got := items(page)
			n := len(got)
			total, echoedPage, echoedSize := count(page)
			if n == 0 {
				return
			}
			if err := prog.next(got); err != nil {
				yield(nil, err)
				return
			}
			// Advance from the page that was asked for; the echo is used only
			// when the request left the page to the service's default, so a
			// service that ignores PageNumber cannot make the walk loop.
			current := int64(*pn)
			if current == 0 {
				current = max(int64(echoedPage), 1)
			}
			size := int64(echoedSize)
			if size <= 0 {
				size = int64(pageSize(&cp))
			}
			if size <= 0 {
				size = int64(n)
			}
			if (current-1)*size+int64(n) >= total {
				return
			}
			*pageNumber(&cp) = N(current + 1)
		}
	}
}

// Items flattens pages into their items.
func Items[Resp, Item any](pages iter.Seq2[*Resp, error], items func(*Resp) []Item) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		for page, err := range pages {
			if err != nil {
				var zero Item
				yield(zero, err)
				return
			}
			for _, it := range items(page) {
				if !yield(it, nil) {
					return
				}
			}
		}
	}
}
