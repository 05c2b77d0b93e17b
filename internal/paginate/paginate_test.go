package paginate

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- NextToken style ----

type tokenReq struct {
	NextToken  string
	MaxResults int32
	Filters    []string
	Labels     map[string]string
}

type tokenResp struct {
	Items     []string
	NextToken string
}

func cloneTokenReq(r *tokenReq) *tokenReq {
	if r == nil {
		return nil
	}
	c := *r
	c.Filters = slices.Clone(r.Filters)
	if r.Labels != nil {
		c.Labels = make(map[string]string, len(r.Labels))
		for k, v := range r.Labels {
			c.Labels[k] = v
		}
	}
	return &c
}

// tokenServer is a fake operation: pages[token] is the answer to a request
// carrying that token; errAt (1-based call number) makes that call fail.
type tokenServer struct {
	pages map[string]*tokenResp
	errAt int
	err   error
	calls []tokenReq // the request as it was when fetch was called
	ptrs  []*tokenReq
	ctxs  []context.Context
}

func (s *tokenServer) fetch(ctx context.Context, r *tokenReq) (*tokenResp, error) {
	s.calls = append(s.calls, *cloneTokenReq(r))
	s.ptrs = append(s.ptrs, r)
	s.ctxs = append(s.ctxs, ctx)
	if len(s.calls) == s.errAt {
		return nil, s.err
	}
	p, ok := s.pages[r.NextToken]
	if !ok {
		return nil, fmt.Errorf("fake: no page for token %q", r.NextToken)
	}
	return p, nil
}

func (s *tokenServer) tokens() []string {
	var out []string
	for _, c := range s.calls {
		out = append(out, c.NextToken)
	}
	return out
}

func setToken(r *tokenReq, tok string) { r.NextToken = tok }
func nextToken(p *tokenResp) string    { return p.NextToken }
func tokenItems(p *tokenResp) []string { return p.Items }

func threeTokenPages() map[string]*tokenResp {
	return map[string]*tokenResp{
		"":   {Items: []string{"a", "b", "c"}, NextToken: "t1"},
		"t1": {Items: []string{"d", "e", "f"}, NextToken: "t2"},
		"t2": {Items: []string{"g"}, NextToken: ""},
	}
}

type yielded[T any] struct {
	v   T
	err error
}

func collect[T any](seq iter.Seq2[T, error]) []yielded[T] {
	var out []yielded[T]
	for v, err := range seq {
		out = append(out, yielded[T]{v, err})
	}
	return out
}

func TestTokenPages(t *testing.T) {
	type ctxKey struct{}
	ctx := context.WithValue(context.Background(), ctxKey{}, "v")
	srv := &tokenServer{pages: threeTokenPages()}
	req := &tokenReq{MaxResults: 3, Filters: []string{"f"}}

	got := collect(TokenPages(ctx, req, srv.fetch, setToken, nextToken, tokenItems))

	require.Len(t, got, 3)
	for i, y := range got {
		require.NoError(t, y.err)
		assert.Same(t, srv.pages[[]string{"", "t1", "t2"}[i]], y.v, "page %d is the fetched response", i)
	}
	assert.Equal(t, []string{"", "t1", "t2"}, srv.tokens())
	for i, c := range srv.calls {
		assert.Equal(t, int32(3), c.MaxResults, "call %d keeps the other parameters", i)
		assert.Equal(t, []string{"f"}, c.Filters)
		assert.Equal(t, "v", srv.ctxs[i].Value(ctxKey{}), "the context is passed through")
		assert.NotSame(t, req, srv.ptrs[i], "fetch works on a copy")
	}
}

func TestTokenPagesStopsOnEmptyToken(t *testing.T) {
	tests := []struct {
		name   string
		pages  map[string]*tokenResp
		fetchs int
	}{
		{"single page", map[string]*tokenResp{"": {Items: []string{"a"}}}, 1},
		{"empty single page", map[string]*tokenResp{"": {}}, 1},
		{"three pages", threeTokenPages(), 3},
		{"empty page with a token continues", map[string]*tokenResp{
			"": {NextToken: "t1"}, "t1": {Items: []string{"x"}},
		}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := &tokenServer{pages: tc.pages}
			got := collect(TokenPages(context.Background(), &tokenReq{}, srv.fetch, setToken, nextToken, tokenItems))
			assert.Len(t, got, tc.fetchs)
			assert.Len(t, srv.calls, tc.fetchs)
			for _, y := range got {
				assert.NoError(t, y.err)
			}
		})
	}
}

func TestTokenPagesDoesNotModifyRequest(t *testing.T) {
	tests := []struct {
		name string
		req  *tokenReq
		want []string // tokens sent
	}{
		{"from the start", &tokenReq{MaxResults: 5, Filters: []string{"x", "y"}, Labels: map[string]string{"k": "v"}},
			[]string{"", "t1", "t2"}},
		{"from a token", &tokenReq{NextToken: "t1", MaxResults: 5, Filters: []string{"x"}, Labels: map[string]string{}},
			[]string{"t1", "t2"}},
		{"from the last token", &tokenReq{NextToken: "t2"}, []string{"t2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := cloneTokenReq(tc.req)
			srv := &tokenServer{pages: threeTokenPages()}
			seq := TokenPages(context.Background(), tc.req, srv.fetch, setToken, nextToken, tokenItems)
			for _, y := range collect(seq) {
				require.NoError(t, y.err)
			}
			assert.Equal(t, tc.want, srv.tokens())
			assert.Equal(t, before, tc.req, "the caller's request must not change")

			// The iterator can be ranged over again and starts afresh from
			// the caller's request.
			srv.calls = nil
			collect(seq)
			assert.Equal(t, tc.want, srv.tokens())
			assert.Equal(t, before, tc.req)
		})
	}
}

func TestTokenPagesSendsOnlyTheLatestToken(t *testing.T) {
	// Each fetch sees exactly the token of the page before it, with the rest
	// of the request as the caller wrote it: nothing accumulates.
	pages := map[string]*tokenResp{}
	var want []string
	tok := ""
	for i := range 50 {
		next := fmt.Sprintf("tok-%d", i)
		if i == 49 {
			next = ""
		}
		pages[tok] = &tokenResp{Items: []string{tok}, NextToken: next}
		want = append(want, tok)
		tok = next
	}
	srv := &tokenServer{pages: pages}
	req := &tokenReq{MaxResults: 1, Filters: []string{"f"}}
	n := 0
	for page, err := range TokenPages(context.Background(), req, srv.fetch, setToken, nextToken, tokenItems) {
		require.NoError(t, err)
		// At the time of the yield, the request just sent carries the token
		// that produced this page and nothing else changed.
		last := srv.calls[len(srv.calls)-1]
		assert.Equal(t, tokenReq{NextToken: want[n], MaxResults: 1, Filters: []string{"f"}}, last)
		assert.Equal(t, []string{want[n]}, page.Items)
		n++
	}
	assert.Equal(t, 50, n)
	assert.Equal(t, want, srv.tokens())
}

func TestTokenPagesRepeatedToken(t *testing.T) {
	tests := []struct {
		name      string
		start     string
		pages     map[string]*tokenResp
		wantPages int
		maxFetch  int
	}{
		{"immediately repeated", "", map[string]*tokenResp{
			"": {NextToken: "t1"}, "t1": {NextToken: "t1"},
		}, 2, 2},
		{"cycle of two", "", map[string]*tokenResp{
			"": {NextToken: "t1"}, "t1": {NextToken: "t2"}, "t2": {NextToken: "t1"},
		}, 3, 3},
		{"cycle back to the start token", "t1", map[string]*tokenResp{
			"t1": {NextToken: "t2"}, "t2": {NextToken: "t1"},
		}, 3, 3},
		{"start token repeated", "t1", map[string]*tokenResp{
			"t1": {NextToken: "t1"},
		}, 2, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := &tokenServer{pages: tc.pages}
			got := collect(TokenPages(context.Background(), &tokenReq{NextToken: tc.start}, srv.fetch, setToken, nextToken, tokenItems))
			require.NotEmpty(t, got)
			last := got[len(got)-1]
			require.Error(t, last.err)
			assert.ErrorIs(t, last.err, ErrRepeatedToken)
			assert.Nil(t, last.v)
			errs := 0
			for _, y := range got {
				if y.err != nil {
					errs++
				}
			}
			assert.Equal(t, 1, errs, "one error")
			assert.Len(t, got, tc.wantPages+1)
			assert.LessOrEqual(t, len(srv.calls), tc.maxFetch)
		})
	}
}

func TestTokenPagesBreak(t *testing.T) {
	for stopAfter := 1; stopAfter <= 3; stopAfter++ {
		t.Run(fmt.Sprint(stopAfter), func(t *testing.T) {
			srv := &tokenServer{pages: threeTokenPages()}
			n := 0
			for _, err := range TokenPages(context.Background(), &tokenReq{}, srv.fetch, setToken, nextToken, tokenItems) {
				require.NoError(t, err)
				n++
				if n == stopAfter {
					break
				}
			}
			assert.Equal(t, stopAfter, n)
			assert.Len(t, srv.calls, stopAfter, "no fetch after the loop stops")
		})
	}
}

func TestTokenPagesFetchError(t *testing.T) {
	boom := errors.New("boom")
	for errAt := 1; errAt <= 3; errAt++ {
		t.Run(fmt.Sprint(errAt), func(t *testing.T) {
			srv := &tokenServer{pages: threeTokenPages(), errAt: errAt, err: boom}
			got := collect(TokenPages(context.Background(), &tokenReq{}, srv.fetch, setToken, nextToken, tokenItems))
			require.Len(t, got, errAt, "pages before the error, then the error, then nothing")
			for _, y := range got[:errAt-1] {
				assert.NoError(t, y.err)
				assert.NotNil(t, y.v)
			}
			assert.Same(t, boom, got[errAt-1].err)
			assert.Nil(t, got[errAt-1].v)
			assert.Len(t, srv.calls, errAt, "no fetch after an error")
		})
	}
}

func TestTokenPagesErrorIgnoredByCaller(t *testing.T) {
	// A caller that keeps ranging after the error (no break) gets nothing
	// more and causes no further fetch.
	srv := &tokenServer{pages: threeTokenPages(), errAt: 2, err: errors.New("boom")}
	var yields, errs int
	for _, err := range TokenPages(context.Background(), &tokenReq{}, srv.fetch, setToken, nextToken, tokenItems) {
		yields++
		if err != nil {
			errs++
			continue
		}
	}
	assert.Equal(t, 2, yields)
	assert.Equal(t, 1, errs)
	assert.Len(t, srv.calls, 2)
}

func TestTokenPagesNilRequest(t *testing.T) {
	srv := &tokenServer{pages: threeTokenPages()}
	got := collect(TokenPages[tokenReq, tokenResp](context.Background(), nil, srv.fetch, setToken, nextToken, tokenItems))
	require.Len(t, got, 3)
	require.Len(t, srv.ptrs, 3)
	for _, p := range srv.ptrs {
		assert.NotNil(t, p, "fetch always gets a request")
	}
	assert.Equal(t, tokenReq{}, srv.calls[0])
	assert.Equal(t, []string{"", "t1", "t2"}, srv.tokens())
}

// ---- PageNumber style ----

type numReq struct {
	PageNumber int32
	PageSize   int32
	Filters    []string
}

type numResp struct {
	Items      []int
	TotalCount int64
	PageNumber int32
	PageSize   int32
}

// numberServer holds total items; pages are computed from the request.
// defaultSize is used when the request has no PageSize, echo controls
// whether PageNumber/PageSize are echoed, claimTotal overrides TotalCount,
// clampSize caps the page size as some services do.
type numberServer struct {
	total       int
	defaultSize int
	clampSize   int
	echo        bool
	claimTotal  int64
	errAt       int
	err         error
	calls       []numReq
}

func (s *numberServer) fetch(_ context.Context, r *numReq) (*numResp, error) {
	c := *r
	c.Filters = slices.Clone(r.Filters)
	s.calls = append(s.calls, c)
	if len(s.calls) == s.errAt {
		return nil, s.err
	}
	page, size := int(r.PageNumber), int(r.PageSize)
	if page <= 0 {
		page = 1
	}
	if size <= 0 {
		size = s.defaultSize
	}
	if s.clampSize > 0 && size > s.clampSize {
		size = s.clampSize
	}
	resp := &numResp{TotalCount: int64(s.total)}
	if s.claimTotal != 0 {
		resp.TotalCount = s.claimTotal
	}
	for i := (page - 1) * size; i < page*size && i < s.total; i++ {
		resp.Items = append(resp.Items, i)
	}
	if s.echo {
		resp.PageNumber, resp.PageSize = int32(page), int32(size)
	}
	return resp, nil
}

func (s *numberServer) pagesRequested() []int32 {
	var out []int32
	for _, c := range s.calls {
		out = append(out, c.PageNumber)
	}
	return out
}

func numberPages(req *numReq, s *numberServer) iter.Seq2[*numResp, error] {
	return NumberPages(context.Background(), req, s.fetch,
		func(r *numReq) *int32 { return &r.PageNumber },
		func(r *numReq) int32 { return r.PageSize },
		func(p *numResp) (int64, int32, int32) { return p.TotalCount, p.PageNumber, p.PageSize },
		func(p *numResp) []int { return p.Items })
}

func itemsOf(pages []yielded[*numResp]) []int {
	var out []int
	for _, p := range pages {
		if p.v != nil {
			out = append(out, p.v.Items...)
		}
	}
	return out
}

func seq(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

func TestNumberPages(t *testing.T) {
	tests := []struct {
		name      string
		req       *numReq
		srv       *numberServer
		wantPages []int32 // PageNumber of each request sent
		wantItems []int
	}{
		{"total 25 size 10: three fetches",
			&numReq{PageSize: 10}, &numberServer{total: 25, echo: true},
			[]int32{0, 2, 3}, seq(0, 25)},
		{"exact multiple: no extra fetch",
			&numReq{PageSize: 10}, &numberServer{total: 30, echo: true},
			[]int32{0, 2, 3}, seq(0, 30)},
		{"one short page",
			&numReq{PageSize: 10}, &numberServer{total: 4, echo: true},
			[]int32{0}, seq(0, 4)},
		{"no items at all: one fetch",
			&numReq{PageSize: 10}, &numberServer{total: 0, echo: true},
			[]int32{0}, nil},
		{"explicit first page",
			&numReq{PageNumber: 1, PageSize: 10}, &numberServer{total: 25, echo: true},
			[]int32{1, 2, 3}, seq(0, 25)},
		{"starting from page 3",
			&numReq{PageNumber: 3, PageSize: 10}, &numberServer{total: 45, echo: true},
			[]int32{3, 4, 5}, seq(20, 45)},
		{"starting from page 3, not echoed",
			&numReq{PageNumber: 3, PageSize: 10}, &numberServer{total: 45},
			[]int32{3, 4, 5}, seq(20, 45)},
		{"starting past the end",
			&numReq{PageNumber: 9, PageSize: 10}, &numberServer{total: 45, echo: true},
			[]int32{9}, nil},
		{"empty page stops even when TotalCount claims more",
			&numReq{PageSize: 10}, &numberServer{total: 15, claimTotal: 1000, echo: true},
			[]int32{0, 2, 3}, seq(0, 15)},
		{"request size used when the service does not echo",
			&numReq{PageSize: 10}, &numberServer{total: 25},
			[]int32{0, 2, 3}, seq(0, 25)},
		{"echoed size used when the request has none",
			&numReq{}, &numberServer{total: 25, defaultSize: 10, echo: true},
			[]int32{0, 2, 3}, seq(0, 25)},
		{"echoed size wins over a clamped request size",
			&numReq{PageSize: 100}, &numberServer{total: 120, clampSize: 50, echo: true},
			[]int32{0, 2, 3}, seq(0, 120)},
		{"neither echoed nor requested: page length as size",
			&numReq{}, &numberServer{total: 20, defaultSize: 10},
			[]int32{0, 2}, seq(0, 20)},
		{"nil request",
			nil, &numberServer{total: 25, defaultSize: 10, echo: true},
			[]int32{0, 2, 3}, seq(0, 25)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before *numReq
			if tc.req != nil {
				b := *tc.req
				b.Filters = slices.Clone(tc.req.Filters)
				before = &b
			}
			got := collect(numberPages(tc.req, tc.srv))
			for _, y := range got {
				require.NoError(t, y.err)
			}
			assert.Equal(t, tc.wantPages, tc.srv.pagesRequested())
			assert.Len(t, got, len(tc.wantPages), "one yield per fetch")
			assert.Equal(t, tc.wantItems, itemsOf(got))
			assert.Equal(t, before, tc.req, "the caller's request must not change")
			for _, c := range tc.srv.calls {
				if tc.req != nil {
					assert.Equal(t, tc.req.PageSize, c.PageSize, "page size is left alone")
				}
			}
		})
	}
}

func TestNumberPagesKeepsOtherFields(t *testing.T) {
	srv := &numberServer{total: 25, echo: true}
	req := &numReq{PageSize: 10, Filters: []string{"a", "b"}}
	collect(numberPages(req, srv))
	require.Len(t, srv.calls, 3)
	for i, c := range srv.calls {
		assert.Equal(t, []string{"a", "b"}, c.Filters, "call %d", i)
	}
	assert.Equal(t, []string{"a", "b"}, req.Filters)
}

func TestNumberPagesBreakAndError(t *testing.T) {
	t.Run("break after page 1", func(t *testing.T) {
		srv := &numberServer{total: 25, echo: true}
		for _, err := range numberPages(&numReq{PageSize: 10}, srv) {
			require.NoError(t, err)
			break
		}
		assert.Len(t, srv.calls, 1)
	})
	t.Run("error on page 2", func(t *testing.T) {
		boom := errors.New("boom")
		srv := &numberServer{total: 25, echo: true, errAt: 2, err: boom}
		got := collect(numberPages(&numReq{PageSize: 10}, srv))
		require.Len(t, got, 2)
		assert.NoError(t, got[0].err)
		assert.Same(t, boom, got[1].err)
		assert.Nil(t, got[1].v)
		assert.Len(t, srv.calls, 2)
	})
}

// int64 page numbers.

type numReq64 struct {
	PageNumber int64
	PageSize   int64
}

type numResp64 struct {
	Items            []int
	Total            int64
	PageNumber, Size int64
}

func TestNumberPagesInt64(t *testing.T) {
	const total = 7
	var sent []int64
	fetch := func(_ context.Context, r *numReq64) (*numResp64, error) {
		sent = append(sent, r.PageNumber)
		resp := &numResp64{Total: total, PageNumber: r.PageNumber, Size: r.PageSize}
		for i := (r.PageNumber - 1) * r.PageSize; i < r.PageNumber*r.PageSize && i < total; i++ {
			resp.Items = append(resp.Items, int(i))
		}
		return resp, nil
	}
	pages := NumberPages(context.Background(), &numReq64{PageNumber: 1, PageSize: 3}, fetch,
		func(r *numReq64) *int64 { return &r.PageNumber },
		func(r *numReq64) int64 { return r.PageSize },
		func(p *numResp64) (int64, int64, int64) { return p.Total, p.PageNumber, p.Size },
		func(p *numResp64) []int { return p.Items })
	var items []int
	for it, err := range Items(pages, func(p *numResp64) []int { return p.Items }) {
		require.NoError(t, err)
		items = append(items, it)
	}
	assert.Equal(t, []int64{1, 2, 3}, sent)
	assert.Equal(t, seq(0, 7), items)
}

func TestNumberPagesLargeInt64PageNumber(t *testing.T) {
	// Page numbers beyond the int32 range are carried exactly.
	const first = int64(1) << 33
	var sent []int64
	fetch := func(_ context.Context, r *numReq64) (*numResp64, error) {
		sent = append(sent, r.PageNumber)
		return &numResp64{Items: []int{1}, Total: first + 2}, nil // size 1, not echoed
	}
	pages := NumberPages(context.Background(), &numReq64{PageNumber: first, PageSize: 1}, fetch,
		func(r *numReq64) *int64 { return &r.PageNumber },
		func(r *numReq64) int64 { return r.PageSize },
		func(p *numResp64) (int64, int64, int64) { return p.Total, p.PageNumber, p.Size },
		func(p *numResp64) []int { return p.Items })
	collect(pages)
	assert.Equal(t, []int64{first, first + 1, first + 2}, sent)
}

// ---- Items ----

func TestItems(t *testing.T) {
	srv := &tokenServer{pages: threeTokenPages()}
	items := Items(TokenPages(context.Background(), &tokenReq{}, srv.fetch, setToken, nextToken, tokenItems),
		func(p *tokenResp) []string { return p.Items })
	var got []string
	for it, err := range items {
		require.NoError(t, err)
		got = append(got, it)
	}
	assert.Equal(t, []string{"a", "b", "c", "d", "e", "f", "g"}, got)
	assert.Len(t, srv.calls, 3)
}

func TestItemsSkipsEmptyPages(t *testing.T) {
	srv := &tokenServer{pages: map[string]*tokenResp{
		"":   {NextToken: "t1"},
		"t1": {Items: []string{"x"}, NextToken: "t2"},
		"t2": {NextToken: "t3"},
		"t3": {Items: []string{"y"}},
	}}
	var got []string
	for it, err := range Items(TokenPages(context.Background(), &tokenReq{}, srv.fetch, setToken, nextToken, tokenItems),
		func(p *tokenResp) []string { return p.Items }) {
		require.NoError(t, err)
		got = append(got, it)
	}
	assert.Equal(t, []string{"x", "y"}, got)
}

func TestItemsBreakFetchesLazily(t *testing.T) {
	// Pages of three items: items 1-3 come from fetch 1, 4-6 from fetch 2,
	// 7 from fetch 3. Breaking after item k costs exactly ceil(k/3) fetches.
	for k := 1; k <= 7; k++ {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			srv := &tokenServer{pages: threeTokenPages()}
			n := 0
			for _, err := range Items(TokenPages(context.Background(), &tokenReq{}, srv.fetch, setToken, nextToken, tokenItems),
				func(p *tokenResp) []string { return p.Items }) {
				require.NoError(t, err)
				n++
				assert.Len(t, srv.calls, (n+2)/3, "a page is fetched only when its first item is needed")
				if n == k {
					break
				}
			}
			assert.Equal(t, k, n)
			assert.Len(t, srv.calls, (k+2)/3)
		})
	}
}

func TestItemsError(t *testing.T) {
	boom := errors.New("boom")
	srv := &tokenServer{pages: threeTokenPages(), errAt: 2, err: boom}
	got := collect(Items(TokenPages(context.Background(), &tokenReq{}, srv.fetch, setToken, nextToken, tokenItems),
		func(p *tokenResp) []string { return p.Items }))
	require.Len(t, got, 4)
	assert.Equal(t, []yielded[string]{{"a", nil}, {"b", nil}, {"c", nil}, {"", boom}}, got)
	assert.Len(t, srv.calls, 2)

	// Repeated tokens surface through Items the same way.
	srv = &tokenServer{pages: map[string]*tokenResp{"": {Items: []string{"a"}, NextToken: "t"}, "t": {Items: []string{"b"}, NextToken: "t"}}}
	got = collect(Items(TokenPages(context.Background(), &tokenReq{}, srv.fetch, setToken, nextToken, tokenItems),
		func(p *tokenResp) []string { return p.Items }))
	require.Len(t, got, 3)
	assert.ErrorIs(t, got[2].err, ErrRepeatedToken)
}

func TestItemsBreakOnError(t *testing.T) {
	srv := &tokenServer{pages: threeTokenPages(), errAt: 1, err: errors.New("boom")}
	n := 0
	for _, err := range Items(TokenPages(context.Background(), &tokenReq{}, srv.fetch, setToken, nextToken, tokenItems),
		func(p *tokenResp) []string { return p.Items }) {
		n++
		require.Error(t, err)
		break
	}
	assert.Equal(t, 1, n)
	assert.Len(t, srv.calls, 1)
}

func TestFetchedRequestsAreNotReused(t *testing.T) {
	// A fetch that keeps the request it was given (a recording fake, or a
	// response or error that refers to it) must still see that request as it
	// was sent once later pages have been fetched.
	//
	// Known bug: TokenPages and NumberPages pass &cp, the address of one
	// local variable, to every fetch and overwrite cp for the next page
	// ("cp = next"), so every kept *Req ends up holding the last page's
	// token or number. Remove this Skip once each fetch gets its own copy.
	t.Run("TokenPages", func(t *testing.T) {
		srv := &tokenServer{pages: threeTokenPages()}
		collect(TokenPages(context.Background(), &tokenReq{}, srv.fetch, setToken, nextToken, tokenItems))
		require.Len(t, srv.ptrs, 3)
		for i, p := range srv.ptrs {
			assert.Equal(t, srv.calls[i].NextToken, p.NextToken, "request %d changed after it was sent", i)
		}
	})
	t.Run("NumberPages", func(t *testing.T) {
		var kept []*numReq
		srv := &numberServer{total: 25, echo: true}
		fetch := func(ctx context.Context, r *numReq) (*numResp, error) {
			kept = append(kept, r)
			return srv.fetch(ctx, r)
		}
		collect(NumberPages(context.Background(), &numReq{PageSize: 10}, fetch,
			func(r *numReq) *int32 { return &r.PageNumber },
			func(r *numReq) int32 { return r.PageSize },
			func(p *numResp) (int64, int32, int32) { return p.TotalCount, p.PageNumber, p.PageSize },
			func(p *numResp) []int { return p.Items }))
		require.Len(t, kept, 3)
		for i, p := range kept {
			assert.Equal(t, srv.calls[i].PageNumber, p.PageNumber, "request %d changed after it was sent", i)
		}
	})
}

func TestTokenPagesStopWithoutProgress(t *testing.T) {
	for name, page := range map[string]func(n int) *tokenResp{
		"empty pages with fresh tokens": func(n int) *tokenResp {
			return &tokenResp{NextToken: fmt.Sprintf("t%d", n)}
		},
		"the same items with fresh tokens": func(n int) *tokenResp {
			return &tokenResp{Items: []string{"a", "b"}, NextToken: fmt.Sprintf("t%d", n)}
		},
	} {
		t.Run(name, func(t *testing.T) {
			calls := 0
			fetch := func(context.Context, *tokenReq) (*tokenResp, error) {
				calls++
				if calls > 10*MaxStalePages {
					return nil, errors.New("the walk did not stop")
				}
				return page(calls), nil
			}
			got := collect(TokenPages(context.Background(), &tokenReq{}, fetch, setToken, nextToken, tokenItems))
			last := got[len(got)-1]
			require.ErrorIs(t, last.err, ErrNoProgress)
			assert.LessOrEqual(t, calls, MaxStalePages+1, "a bounded run of stale pages")
		})
	}
	// A run of empty pages shorter than the bound is not an error.
	calls := 0
	fetch := func(_ context.Context, r *tokenReq) (*tokenResp, error) {
		calls++
		if calls < MaxStalePages/2 {
			return &tokenResp{NextToken: fmt.Sprintf("t%d", calls)}, nil
		}
		return &tokenResp{Items: []string{"z"}}, nil
	}
	var items []string
	for it, err := range Items(TokenPages(context.Background(), &tokenReq{}, fetch, setToken, nextToken, tokenItems), tokenItems) {
		require.NoError(t, err)
		items = append(items, it)
	}
	assert.Equal(t, []string{"z"}, items)
}

func TestNumberPagesStopWhenTheServiceIgnoresPageNumber(t *testing.T) {
	calls := 0
	fetch := func(context.Context, *numReq) (*numResp, error) {
		calls++
		if calls > 10*MaxStalePages {
			return nil, errors.New("the walk did not stop")
		}
		return &numResp{Items: []int{1, 2, 3}, TotalCount: 1 << 40, PageNumber: 1, PageSize: 3}, nil
	}
	got := collect(NumberPages(context.Background(), &numReq{PageSize: 3}, fetch,
		func(r *numReq) *int32 { return &r.PageNumber },
		func(r *numReq) int32 { return r.PageSize },
		func(p *numResp) (int64, int32, int32) { return p.TotalCount, p.PageNumber, p.PageSize },
		func(p *numResp) []int { return p.Items }))
	require.ErrorIs(t, got[len(got)-1].err, ErrNoProgress)
	assert.LessOrEqual(t, calls, MaxStalePages+1)
}
