package resourcesharing_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	rs "github.com/resourcekit/alicloud/resourcesharing"
)

// wtServer answers each poll from a script; a poll is one reply, or a map
// from NextToken to the page for polls that read several pages. The last
// poll of the script repeats.
type wtServer struct {
	mu    sync.Mutex
	polls []map[string]string // NextToken -> body (a body starting with "!" is an error code)
	poll  int
	calls []url.Values
}

func (s *wtServer) respond(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := r.URL.Query()
	s.calls = append(s.calls, q)
	tok := q.Get("NextToken")
	if tok == "" && len(s.calls) > 1 {
		s.poll++
	}
	pages := s.polls[min(s.poll, len(s.polls)-1)]
	body, ok := pages[tok]
	status := 200
	switch {
	case !ok:
		status, body = 400, `{"RequestId":"r","Code":"InvalidParameter.NextToken","Message":"bad token"}`
	case strings.HasPrefix(body, "!"):
		status, body = 400, `{"RequestId":"r","Code":"`+body[1:]+`","Message":"scripted"}`
	}
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/json;charset=utf-8")
	return resp, nil
}

func (s *wtServer) requests() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.calls...)
}

func wtClient(t *testing.T, polls ...map[string]string) (*rs.Client, *wtServer) {
	t.Helper()
	s := &wtServer{polls: polls}
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("POST", endpoint, s.respond)
	c := rs.New(alicloud.Config{
		Region:      "cn-hangzhou",
		Credentials: alicloud.NewStaticCredentials("test-id", testSecret, ""),
		HTTPClient:  &http.Client{Transport: mt},
		Retry:       alicloud.RetryOptions{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond},
	})
	return c, s
}

// one is a poll answered by a single page.
func one(body string) map[string]string { return map[string]string{"": body} }

type assoc struct{ share, typ, entity, status string }

func assocPage(next string, items ...assoc) string {
	var parts []string
	for _, a := range items {
		parts = append(parts, fmt.Sprintf(`{"ResourceShareId":%q,"AssociationType":%q,"EntityId":%q,"AssociationStatus":%q}`, a.share, a.typ, a.entity, a.status))
	}
	return fmt.Sprintf(`{"RequestId":"r","NextToken":%q,"ResourceShareAssociations":[%s]}`, next, strings.Join(parts, ","))
}

func sharePage(next string, idStatus ...string) string {
	var parts []string
	for i := 0; i+1 < len(idStatus); i += 2 {
		parts = append(parts, fmt.Sprintf(`{"ResourceShareId":%q,"ResourceShareName":"s","ResourceShareStatus":%q}`, idStatus[i], idStatus[i+1]))
	}
	return fmt.Sprintf(`{"RequestId":"r","NextToken":%q,"ResourceShares":[%s]}`, next, strings.Join(parts, ","))
}

func wtCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func associatedFast(o *rs.ResourceShareAssociatedWaiterOptions) {
	o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
}

func TestResourceShareAssociatedWaitsForEveryMatchingAssociationOnEveryPage(t *testing.T) {
	c, srv := wtClient(t,
		one(assocPage("", assoc{"rs-1", "Target", "111", "Associating"})),
		map[string]string{
			"":   assocPage("p2", assoc{"rs-1", "Target", "111", "Associated"}, assoc{"rs-1", "Target", "old", "Disassociated"}),
			"p2": assocPage("", assoc{"rs-1", "Target", "222", "Associating"}),
		},
		map[string]string{
			"": assocPage("p2",
				assoc{"rs-1", "Target", "111", "Associated"},
				assoc{"rs-1", "Target", "old", "Disassociated"}, // ended earlier: left out
				assoc{"rs-2", "Target", "333", "Failed"},        // another share: a filter the service ignored
				assoc{"rs-1", "Resource", "vsw-1", "Failed"},    // another type
			),
			"p2": assocPage("", assoc{"rs-1", "Target", "222", "Associated"}),
		},
	)
	params := &rs.ListResourceShareAssociationsRequest{ResourceShareIds: []string{"rs-1"}, AssociationType: rs.AssociationTypeTarget}
	out, err := rs.NewResourceShareAssociatedWaiter(c, associatedFast).WaitForOutput(wtCtx(t), params, time.Minute)
	require.NoError(t, err)
	require.Len(t, out.ResourceShareAssociations, 5, "the items of both pages")
	assert.Empty(t, out.NextToken)

	calls := srv.requests()
	require.Len(t, calls, 5, "polls of 1, 2 and 2 pages")
	var tokens []string
	for _, q := range calls {
		assert.Equal(t, "ListResourceShareAssociations", q.Get("Action"))
		assert.Equal(t, "rs-1", q.Get("ResourceShareIds.1"))
		assert.Equal(t, "Target", q.Get("AssociationType"))
		tokens = append(tokens, q.Get("NextToken"))
	}
	assert.Equal(t, []string{"", "", "p2", "", "p2"}, tokens)
	assert.Empty(t, params.NextToken, "params are not modified")
}

func TestResourceShareAssociatedFiltersByEntity(t *testing.T) {
	c, srv := wtClient(t,
		one(assocPage("", assoc{"rs-1", "Resource", "vsw-2", "Failed"}, assoc{"rs-1", "Resource", "vsw-1", "Associating"})),
		one(assocPage("", assoc{"rs-1", "Resource", "vsw-2", "Failed"}, assoc{"rs-1", "Resource", "vsw-1", "Associated"})),
	)
	params := &rs.ListResourceShareAssociationsRequest{ResourceShareIds: []string{"rs-1"}, AssociationType: rs.AssociationTypeResource, ResourceId: "vsw-1"}
	require.NoError(t, rs.NewResourceShareAssociatedWaiter(c, associatedFast).Wait(wtCtx(t), params, time.Minute))
	calls := srv.requests()
	require.Len(t, calls, 2)
	assert.Equal(t, "vsw-1", calls[0].Get("ResourceId"))
}

func TestResourceShareAssociatedFailure(t *testing.T) {
	c, _ := wtClient(t,
		one(assocPage("", assoc{"rs-1", "Target", "111", "Associating"}, assoc{"rs-1", "Target", "222", "Associating"})),
		one(assocPage("", assoc{"rs-1", "Target", "111", "Associated"}, assoc{"rs-1", "Target", "222", "Failed"})),
	)
	err := rs.NewResourceShareAssociatedWaiter(c, associatedFast).Wait(wtCtx(t),
		&rs.ListResourceShareAssociationsRequest{ResourceShareIds: []string{"rs-1"}, AssociationType: rs.AssociationTypeTarget}, time.Minute)
	require.ErrorIs(t, err, rs.ErrWaiterFailed)
	var fe *rs.WaiterFailedError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "ResourceShareAssociated", fe.Waiter)
	assert.Equal(t, "Failed", fe.Status)
	out, ok := fe.Output.(*rs.ListResourceShareAssociationsResponse)
	require.True(t, ok)
	assert.Len(t, out.ResourceShareAssociations, 2)
}

func TestResourceShareAssociatedRetriesWhileNothingMatches(t *testing.T) {
	c, srv := wtClient(t, one(assocPage("")))
	err := rs.NewResourceShareAssociatedWaiter(c, associatedFast).Wait(wtCtx(t),
		&rs.ListResourceShareAssociationsRequest{ResourceShareIds: []string{"rs-1"}, AssociationType: rs.AssociationTypeTarget}, 30*time.Millisecond)
	require.ErrorIs(t, err, rs.ErrWaiterTimeout)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Greater(t, len(srv.requests()), 1)
}

func TestResourceShareAssociatedThrottledPolls(t *testing.T) {
	throttled := map[string]string{"": "!LimitExceeded.Frequency"}
	c, srv := wtClient(t,
		one(assocPage("", assoc{"rs-1", "Target", "111", "Associating"})),
		// Each request moves the script on. The second poll gets three
		// throttled replies, all the client's tries, and the waiter polls
		// again; the third poll's first try is throttled and its retry by
		// the client succeeds.
		throttled, throttled, throttled, throttled,
		one(assocPage("", assoc{"rs-1", "Target", "111", "Associated"})),
	)
	err := rs.NewResourceShareAssociatedWaiter(c, associatedFast).Wait(wtCtx(t),
		&rs.ListResourceShareAssociationsRequest{ResourceShareIds: []string{"rs-1"}, AssociationType: rs.AssociationTypeTarget}, time.Minute)
	require.NoError(t, err)
	assert.Len(t, srv.requests(), 6)
}

func TestResourceShareDisassociated(t *testing.T) {
	disFast := func(o *rs.ResourceShareDisassociatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
	}
	params := &rs.ListResourceShareAssociationsRequest{ResourceShareIds: []string{"rs-1"}, AssociationType: rs.AssociationTypeTarget, Target: "111"}
	t.Run("every match disassociated", func(t *testing.T) {
		c, srv := wtClient(t,
			one(assocPage("", assoc{"rs-1", "Target", "111", "Associated"})), // the change not visible yet
			one(assocPage("", assoc{"rs-1", "Target", "111", "Disassociating"}, assoc{"rs-1", "Target", "222", "Associated"})),
			one(assocPage("", assoc{"rs-1", "Target", "111", "Disassociated"}, assoc{"rs-1", "Target", "222", "Associated"})),
		)
		require.NoError(t, rs.NewResourceShareDisassociatedWaiter(c, disFast).Wait(wtCtx(t), params, time.Minute))
		assert.Len(t, srv.requests(), 3)
		assert.Equal(t, "111", srv.requests()[0].Get("Target"))
	})
	t.Run("gone from the list", func(t *testing.T) {
		c, _ := wtClient(t, one(assocPage("", assoc{"rs-1", "Target", "111", "Disassociating"})), one(assocPage("")))
		require.NoError(t, rs.NewResourceShareDisassociatedWaiter(c, disFast).Wait(wtCtx(t), params, time.Minute))
	})
	t.Run("failed", func(t *testing.T) {
		c, _ := wtClient(t, one(assocPage("", assoc{"rs-1", "Target", "111", "Failed"})))
		err := rs.NewResourceShareDisassociatedWaiter(c, disFast).Wait(wtCtx(t), params, time.Minute)
		require.ErrorIs(t, err, rs.ErrWaiterFailed)
	})
}

func TestResourceShareActiveAndDeleted(t *testing.T) {
	activeFast := func(o *rs.ResourceShareActiveWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
	}
	deletedFast := func(o *rs.ResourceShareDeletedWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
	}
	params := &rs.ListResourceSharesRequest{ResourceOwner: rs.ResourceOwnerSelf, ResourceShareIds: []string{"rs-1", "rs-2"}}

	t.Run("active", func(t *testing.T) {
		c, srv := wtClient(t,
			one(sharePage("")), // not listed yet
			one(sharePage("", "rs-1", "Pending", "rs-2", "Active")),
			map[string]string{"": sharePage("p2", "rs-1", "Active", "rs-9", "Deleted"), "p2": sharePage("", "rs-2", "Active")},
		)
		out, err := rs.NewResourceShareActiveWaiter(c, activeFast).WaitForOutput(wtCtx(t), params, time.Minute)
		require.NoError(t, err)
		assert.Len(t, out.ResourceShares, 3)
		calls := srv.requests()
		require.Len(t, calls, 4)
		for _, q := range calls {
			assert.Equal(t, "ListResourceShares", q.Get("Action"))
			assert.Equal(t, "Self", q.Get("ResourceOwner"))
			assert.Equal(t, []string{"rs-1", "rs-2"}, []string{q.Get("ResourceShareIds.1"), q.Get("ResourceShareIds.2")})
		}
	})
	t.Run("active but deleted", func(t *testing.T) {
		c, _ := wtClient(t, one(sharePage("", "rs-1", "Pending")), one(sharePage("", "rs-1", "Deleting")))
		err := rs.NewResourceShareActiveWaiter(c, activeFast).Wait(wtCtx(t), params, time.Minute)
		require.ErrorIs(t, err, rs.ErrWaiterFailed)
		var fe *rs.WaiterFailedError
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, "Deleting", fe.Status)
	})
	t.Run("deleted", func(t *testing.T) {
		c, srv := wtClient(t,
			one(sharePage("", "rs-1", "Active", "rs-2", "Deleting")),
			one(sharePage("", "rs-1", "Deleted", "rs-2", "Deleting")),
			one(sharePage("", "rs-1", "Deleted", "rs-2", "Deleted")),
		)
		require.NoError(t, rs.NewResourceShareDeletedWaiter(c, deletedFast).Wait(wtCtx(t), params, time.Minute))
		assert.Len(t, srv.requests(), 3)
	})
	t.Run("deleted and gone", func(t *testing.T) {
		c, _ := wtClient(t, one(sharePage("", "rs-1", "Deleting")), one(sharePage("")))
		require.NoError(t, rs.NewResourceShareDeletedWaiter(c, deletedFast).Wait(wtCtx(t), params, time.Minute))
	})
	t.Run("other errors end the wait", func(t *testing.T) {
		c, srv := wtClient(t, map[string]string{"": "!InvalidParameter.ResourceShareIds"})
		err := rs.NewResourceShareDeletedWaiter(c, deletedFast).Wait(wtCtx(t), params, time.Minute)
		require.ErrorIs(t, err, rs.ErrInvalidParameterResourceShareIds)
		assert.NotErrorIs(t, err, rs.ErrWaiterFailed)
		assert.Len(t, srv.requests(), 1)
	})
	t.Run("missing required parameter", func(t *testing.T) {
		c, srv := wtClient(t, one(sharePage("")))
		err := rs.NewResourceShareDeletedWaiter(c, deletedFast).Wait(wtCtx(t), nil, time.Minute)
		require.ErrorIs(t, err, alicloud.ErrInvalidInput)
		assert.Empty(t, srv.requests())
	})
}

func TestResourceShareWaiterCancelled(t *testing.T) {
	c, _ := wtClient(t, one(sharePage("", "rs-1", "Pending")))
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	err := rs.NewResourceShareActiveWaiter(c, func(o *rs.ResourceShareActiveWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 2*time.Millisecond
	}).Wait(ctx, &rs.ListResourceSharesRequest{ResourceOwner: rs.ResourceOwnerSelf, ResourceShareIds: []string{"rs-1"}}, time.Minute)
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, rs.ErrWaiterTimeout)
}
