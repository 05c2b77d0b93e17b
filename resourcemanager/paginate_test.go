package resourcemanager_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rm "github.com/resourcekit/alicloud/resourcemanager"
)

// accountsServer serves total accounts in pages of the requested size (10
// by default), wrapped the way Resource Manager wraps lists.
func accountsServer(t *testing.T, total int, claimTotal int) (*rm.Client, *[]string) {
	c, mt := newClient(t)
	var pages []string
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		q := params(t, r)
		pn, _ := strconv.Atoi(q.Get("PageNumber"))
		if pn == 0 {
			pn = 1
		}
		size, _ := strconv.Atoi(q.Get("PageSize"))
		if size == 0 {
			size = 10
		}
		pages = append(pages, q.Get("PageNumber"))
		items := ""
		for i := (pn - 1) * size; i < pn*size && i < total; i++ {
			if items != "" {
				items += ","
			}
			items += fmt.Sprintf(`{"AccountId":"%d","DisplayName":"acct-%d","JoinTime":"2021-06-05T14:39:13+08:00"}`, 1000+i, i)
		}
		body := fmt.Sprintf(`{"RequestId":"r","PageNumber":%d,"PageSize":"%d","TotalCount":%d,"Accounts":{"Account":[%s]}}`, pn, size, claimTotal, items)
		return reply(200, body)(r)
	})
	return c, &pages
}

func TestListAccountsAllStopsAtTotalCount(t *testing.T) {
	c, pages := accountsServer(t, 25, 25)
	req := &rm.ListAccountsRequest{PageSize: 10}
	var ids []string
	for a, err := range c.ListAccountsAll(context.Background(), req) {
		require.NoError(t, err)
		ids = append(ids, a.AccountId)
	}
	assert.Len(t, ids, 25)
	assert.Equal(t, "1000", ids[0])
	assert.Equal(t, "1024", ids[24])
	assert.Equal(t, []string{"", "2", "3"}, *pages)
	assert.Equal(t, &rm.ListAccountsRequest{PageSize: 10}, req)
}

func TestListAccountsAllStopsOnEmptyPage(t *testing.T) {
	c, pages := accountsServer(t, 12, 1000)
	n := 0
	for _, err := range c.ListAccountsAll(context.Background(), nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 12, n)
	assert.Equal(t, []string{"", "2", "3"}, *pages, "the empty third page ends the walk although TotalCount claims more")
}

func TestListAccountsPagesStartFromTheCallersPage(t *testing.T) {
	c, pages := accountsServer(t, 30, 30)
	var got []int
	for p, err := range c.ListAccountsPages(context.Background(), &rm.ListAccountsRequest{PageNumber: 2, PageSize: 10}) {
		require.NoError(t, err)
		got = append(got, int(p.PageNumber))
	}
	assert.Equal(t, []int{2, 3}, got)
	assert.Equal(t, []string{"2", "3"}, *pages)
}
