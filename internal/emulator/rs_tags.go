package emulator

import "slices"

// Tags of resource shares: TagResources, UntagResources, ListTagResources
// (ResourceType ResourceShare). A share is tagged in the region it lives in;
// deleted shares cannot be tagged. The tags are those CreateResourceShare
// sets and ListResourceShares shows and filters on.

const (
	errTagResourceNotFound   errCode = "InvalidResourceId.NotFound"
	errTagResourceIDsMissing errCode = "MissingParameter.ResourceIds"
	errTagKeysOrAllMissing   errCode = "MissingParameter.TagKeysOrDeleteAll"
	errTagIDOrTagMissing     errCode = "MissingParameter.ResourceIdOrTag"
	errTagKeyDuplicate       errCode = "Duplicate.TagKey"
	errTagKeyInvalid         errCode = "InvalidParameter.TagKey"
)

// tagTypeShare is the one resource type the Resource Sharing tag
// operations accept.
const tagTypeShare = "ResourceShare"

// rsTagType checks the ResourceType of a Resource Sharing tag operation.
func (c *call) rsTagType() error {
	if c.p.get("ResourceType") != tagTypeShare {
		return errResourceTypeInvalid
	}
	return nil
}

// taggableShares returns the caller's shares in the request's region that
// can carry tags, in creation order.
func (c *call) taggableShares() []*share {
	var out []*share
	for _, sh := range c.st.shares {
		if sh.Owner == c.caller.ID && sh.Region == c.region && sh.Status != shareDeleted {
			out = append(out, sh)
		}
	}
	return byOrder(out, func(sh *share) int64 { return sh.order })
}

// sharesByID finds the named shares; any unknown one fails the request
// before anything changes.
func (c *call) sharesByID(ids []string) ([]*share, error) {
	all := c.taggableShares()
	out := make([]*share, 0, len(ids))
	for _, id := range ids {
		i := slices.IndexFunc(all, func(sh *share) bool { return sh.ID == id })
		if i < 0 {
			return nil, errTagResourceNotFound
		}
		out = append(out, all[i])
	}
	return out, nil
}

func rsTagResources(c *call) (any, error) {
	if err := c.rsTagType(); err != nil {
		return nil, err
	}
	tags, err := c.tagsParam("Tags")
	if err != nil {
		return nil, err
	}
	shares, err := c.sharesByID(c.p.list("ResourceId"))
	if err != nil {
		return nil, err
	}
	for _, sh := range shares {
		sh.tags = withTags(sh.tags, tags)
	}
	return nil, nil
}

func rsUntagResources(c *call) (any, error) {
	if err := c.rsTagType(); err != nil {
		return nil, err
	}
	ids := c.p.list("ResourceId")
	if len(ids) == 0 {
		return nil, errTagResourceIDsMissing
	}
	keys, all := c.p.list("TagKey"), c.p.boolean("All")
	if len(keys) == 0 && !all {
		return nil, errTagKeysOrAllMissing
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if k == "" {
			return nil, errTagKeyInvalid
		}
		if seen[k] {
			return nil, errTagKeyDuplicate
		}
		seen[k] = true
	}
	shares, err := c.sharesByID(ids)
	if err != nil {
		return nil, err
	}
	for _, sh := range shares {
		sh.tags = withoutTags(sh.tags, keys, all)
	}
	return nil, nil
}

func rsListTagResources(c *call) (any, error) {
	if err := c.rsTagType(); err != nil {
		return nil, err
	}
	ids, want := c.p.list("ResourceId"), c.p.tags()
	if len(ids) == 0 && len(want) == 0 {
		return nil, errTagIDOrTagMissing
	}
	var found []taggable
	if len(ids) > 0 {
		shares, err := c.sharesByID(ids)
		if err != nil {
			return nil, err
		}
		for _, sh := range shares {
			if matchTags(sh.tags, want) {
				found = append(found, taggable{sh.ID, &sh.tags})
			}
		}
	} else {
		for _, sh := range c.taggableShares() {
			if matchTags(sh.tags, want) {
				found = append(found, taggable{sh.ID, &sh.tags})
			}
		}
	}
	page, next, err := pageByToken(c, tagPairs(found, tagTypeShare))
	if err != nil {
		return nil, err
	}
	var out struct {
		NextToken    string `json:",omitempty"`
		TagResources struct{ TagResource []tagResourceView }
	}
	out.NextToken = next
	out.TagResources.TagResource = append([]tagResourceView{}, page...)
	return out, nil
}
