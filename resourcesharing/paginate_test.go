package resourcesharing_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	rs "github.com/resourcekit/alicloud/resourcesharing"
)

// pagesServer answers ListResourceShareInvitations with the given pages,
// chosen by the request's NextToken ("" is the first page).
func pagesServer(t *testing.T, pages map[string]string) (*rs.Client, *[]string) {
	c, mt := newClient(t)
	var tokens []string
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		tok := params(t, r).Get("NextToken")
		tokens = append(tokens, tok)
		body, ok := pages[tok]
		if !ok {
			return reply(400, `{"Code":"InvalidParameter.NextToken","Message":"The NextToken is invalid."}`)(r)
		}
		return reply(200, body)(r)
	})
	return c, &tokens
}

func page(next string, ids ...string) string {
	items := ""
	for i, id := range ids {
		if i > 0 {
			items += ","
		}
		items += fmt.Sprintf(`{"ResourceShareInvitationId":%q,"Status":"Pending"}`, id)
	}
	return fmt.Sprintf(`{"RequestId":"r","NextToken":%q,"ResourceShareInvitations":[%s]}`, next, items)
}

func TestListResourceShareInvitationsAllWalksEveryPage(t *testing.T) {
	c, tokens := pagesServer(t, map[string]string{
		"":   page("t1", "i-1", "i-2"),
		"t1": page("t2", "i-3"),
		"t2": page("", "i-4", "i-5"),
	})
	req := &rs.ListResourceShareInvitationsRequest{MaxResults: 2}
	var ids []string
	for inv, err := range c.ListResourceShareInvitationsAll(context.Background(), req) {
		require.NoError(t, err)
		ids = append(ids, inv.ResourceShareInvitationId)
	}
	assert.Equal(t, []string{"i-1", "i-2", "i-3", "i-4", "i-5"}, ids)
	assert.Equal(t, []string{"", "t1", "t2"}, *tokens)
	assert.Equal(t, &rs.ListResourceShareInvitationsRequest{MaxResults: 2}, req, "the caller's request is not modified")
}

func TestPagesStopWhenTheLoopBreaks(t *testing.T) {
	c, tokens := pagesServer(t, map[string]string{
		"":   page("t1", "i-1", "i-2"),
		"t1": page("", "i-3"),
	})
	for inv, err := range c.ListResourceShareInvitationsAll(context.Background(), nil) {
		require.NoError(t, err)
		assert.Equal(t, "i-1", inv.ResourceShareInvitationId)
		break
	}
	assert.Equal(t, []string{""}, *tokens, "no page is fetched beyond what was consumed")

	*tokens = nil
	n := 0
	for p, err := range c.ListResourceShareInvitationsPages(context.Background(), nil) {
		require.NoError(t, err)
		n += len(p.ResourceShareInvitations)
		break
	}
	assert.Equal(t, 2, n)
	assert.Equal(t, []string{""}, *tokens)
}

func TestPagesStopOnRepeatedToken(t *testing.T) {
	c, tokens := pagesServer(t, map[string]string{
		"":   page("t1", "i-1"),
		"t1": page("t1", "i-2"),
	})
	var ids []string
	var errs []error
	for inv, err := range c.ListResourceShareInvitationsAll(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, inv.ResourceShareInvitationId)
	}
	assert.Equal(t, []string{"i-1", "i-2"}, ids)
	require.Len(t, errs, 1, "the error is yielded once, then the iterator stops")
	assert.ErrorIs(t, errs[0], alicloud.ErrRepeatedToken)
	assert.Equal(t, []string{"", "t1"}, *tokens)
}

func TestPagesYieldAnErrorOnceThenStop(t *testing.T) {
	c, tokens := pagesServer(t, map[string]string{
		"": page("gone", "i-1"),
	})
	var errs []error
	count := 0
	for _, err := range c.ListResourceShareInvitationsAll(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		count++
	}
	assert.Equal(t, 1, count)
	require.Len(t, errs, 1)
	assert.True(t, errors.Is(errs[0], rs.ErrInvalidParameterNextToken))
	assert.Equal(t, []string{"", "gone"}, *tokens)
}

func TestPagesValidateBeforeFetching(t *testing.T) {
	c, tokens := pagesServer(t, map[string]string{"": page("", "i-1")})
	var errs []error
	for _, err := range c.ListResourceShareInvitationsAll(context.Background(), &rs.ListResourceShareInvitationsRequest{MaxResults: 500}) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], rs.ErrInvalidParameterMaxResults)
	assert.Empty(t, *tokens)
}
