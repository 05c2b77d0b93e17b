package emulator

import (
	"errors"
	"slices"
	"strings"
	"unicode/utf8"
)

// Tags of Resource Manager resources: TagResources, UntagResources,
// ListTagResources, ListTagKeys, ListTagValues. The taggable resources are
// the caller's resource groups (ResourceType ResourceGroup, the default) and,
// for the management account, the member accounts of the resource directory
// (ResourceType Account). The tags are the ones CreateResourceGroup and
// CreateResourceAccount set and GetResourceGroup, ListResourceGroups,
// GetAccount and ListAccounts show with IncludeTags.

// Resource types of the tag operations, as requests name them.
const (
	tagTypeGroup   = "ResourceGroup"
	tagTypeAccount = "Account"
)

// taggedTypeName is how ListTagResources names a resource type in replies.
func taggedTypeName(requestType string) string {
	if requestType == tagTypeGroup {
		return "resourcegroup"
	}
	return requestType
}

// taggable is one resource whose tags the tag operations read and change.
type taggable struct {
	id   string
	tags *[]tag
}

// rmTagType reads the ResourceType of a tag operation (ResourceGroup when
// absent) and checks that the caller may tag resources of that type.
func (c *call) rmTagType() (string, error) {
	typ := c.p.get("ResourceType")
	switch typ {
	case "":
		typ = tagTypeGroup
	case tagTypeGroup:
	case tagTypeAccount:
		if err := c.requireManagement(); err != nil {
			return "", err
		}
	default:
		return "", invalidParam(c.codes, "ResourceType", "")
	}
	return typ, nil
}

// rmTaggables returns every resource of a type the caller may tag, in
// creation order.
func (c *call) rmTaggables(typ string) []taggable {
	var out []taggable
	if typ == tagTypeAccount {
		for _, a := range c.st.members() {
			out = append(out, taggable{a.ID, &a.tags})
		}
		return out
	}
	for _, g := range c.st.groupsOf(c.caller.ID, c.now) {
		out = append(out, taggable{g.ID, &g.tags})
	}
	return out
}

// rmTaggablesByID finds the named resources; any unknown one fails the
// request before anything changes.
func (c *call) rmTaggablesByID(typ string, ids []string) ([]taggable, error) {
	all := c.rmTaggables(typ)
	out := make([]taggable, 0, len(ids))
	for _, id := range ids {
		i := slices.IndexFunc(all, func(t taggable) bool { return t.id == id })
		if i < 0 {
			if typ == tagTypeAccount {
				return nil, errAccountNotFound
			}
			return nil, errGroupNotFound
		}
		out = append(out, all[i])
	}
	return out, nil
}

// tagsParam reads Tag.N and applies the documented rules of tag keys and
// values (tagRuleFault); a fault is the operation's invalid code for the
// parameter, named codeName as the route's aliases name it (the same code
// the pipeline gives a tag that is too long), with the broken rule in
// Recommend.
func (c *call) tagsParam(codeName string) ([]tag, error) {
	tags := c.p.tags()
	for _, t := range tags {
		if why := tagRuleFault(t); why != "" {
			return nil, withRecommend(invalidParam(c.codes, codeName, ""), why)
		}
	}
	return tags, nil
}

// maxTagChars bounds tag keys and values, in characters.
const maxTagChars = 128

// tagRuleFault says which documented rule a tag breaks, or "": both products
// take keys of 1 to 128 characters that neither start with "aliyun" or
// "acs:" nor contain "http://" or "https://", and values of up to 128
// characters that do not start with "acs:" and contain no "http://" or
// "https://"; both must be valid UTF-8.
func tagRuleFault(t tag) string {
	lk, lv := strings.ToLower(t.Key), strings.ToLower(t.Value)
	hasURL := func(s string) bool { return strings.Contains(s, "http://") || strings.Contains(s, "https://") }
	switch {
	case !utf8.ValidString(t.Key) || !utf8.ValidString(t.Value):
		return "tag keys and values must be valid UTF-8"
	case t.Key == "":
		return "a tag key cannot be empty"
	case utf8.RuneCountInString(t.Key) > maxTagChars:
		return "a tag key has at most 128 characters"
	case strings.HasPrefix(lk, "aliyun"), strings.HasPrefix(lk, "acs:"):
		return "a tag key cannot start with aliyun or acs:"
	case hasURL(lk):
		return "a tag key cannot contain http:// or https://"
	case utf8.RuneCountInString(t.Value) > maxTagChars:
		return "a tag value has at most 128 characters"
	case strings.HasPrefix(lv, "acs:"):
		return "a tag value cannot start with acs:"
	case hasURL(lv):
		return "a tag value cannot contain http:// or https://"
	}
	return ""
}

// withRecommend puts a hint in the Recommend field of an error reply.
func withRecommend(err error, why string) error {
	var ae *apiError
	if errors.As(err, &ae) {
		cp := *ae
		cp.recommend = why
		return &cp
	}
	var ec errCode
	if errors.As(err, &ec) {
		return &apiError{code: string(ec), recommend: why}
	}
	return err
}

// withTags sets tags on a tag list: a key already present takes the new
// value, a new key is appended.
func withTags(have, add []tag) []tag {
	for _, t := range add {
		if i := slices.IndexFunc(have, func(h tag) bool { return h.Key == t.Key }); i >= 0 {
			have[i].Value = t.Value
		} else {
			have = append(have, t)
		}
	}
	return have
}

// withoutTags removes the tags with the given keys, or every tag.
func withoutTags(have []tag, keys []string, all bool) []tag {
	if all {
		return nil
	}
	return slices.DeleteFunc(have, func(h tag) bool { return slices.Contains(keys, h.Key) })
}

// tagResourceView is one resource/tag pair of ListTagResources.
type tagResourceView struct {
	ResourceId   string
	ResourceType string
	TagKey       string
	TagValue     string
}

// tagPairs lists the tags of resources as resource/tag pairs.
func tagPairs(res []taggable, typeName string) []tagResourceView {
	var out []tagResourceView
	for _, r := range res {
		for _, t := range *r.tags {
			out = append(out, tagResourceView{r.id, typeName, t.Key, t.Value})
		}
	}
	return out
}

// tagPageSize applies the default MaxResults of the Resource Manager tag
// lists (10) before pageByToken reads it.
func (c *call) tagPageSize() {
	if c.p.get("MaxResults") == "" {
		c.p["MaxResults"] = []string{"10"}
	}
}

func rmTagResources(c *call) (any, error) {
	typ, err := c.rmTagType()
	if err != nil {
		return nil, err
	}
	tags, err := c.tagsParam("Tag")
	if err != nil {
		return nil, err
	}
	res, err := c.rmTaggablesByID(typ, c.p.list("ResourceId"))
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		*r.tags = withTags(*r.tags, tags)
	}
	return nil, nil
}

func rmUntagResources(c *call) (any, error) {
	typ, err := c.rmTagType()
	if err != nil {
		return nil, err
	}
	res, err := c.rmTaggablesByID(typ, c.p.list("ResourceId"))
	if err != nil {
		return nil, err
	}
	keys, all := c.p.list("TagKey"), c.p.boolean("All")
	for _, r := range res {
		*r.tags = withoutTags(*r.tags, keys, all)
	}
	return nil, nil
}

func rmListTagResources(c *call) (any, error) {
	typ, err := c.rmTagType()
	if err != nil {
		return nil, err
	}
	ids, want := c.p.list("ResourceId"), c.p.tags()
	var found []taggable
	for _, r := range c.rmTaggables(typ) {
		if (len(ids) == 0 || slices.Contains(ids, r.id)) && matchTags(*r.tags, want) {
			found = append(found, r)
		}
	}
	c.tagPageSize()
	page, next, err := pageByToken(c, tagPairs(found, taggedTypeName(typ)))
	if err != nil {
		return nil, err
	}
	var out struct {
		NextToken    string `json:",omitempty"`
		TagResources []tagResourceView
	}
	out.NextToken = next
	out.TagResources = append([]tagResourceView{}, page...)
	return out, nil
}

// tagKeyValues returns the distinct keys, or the distinct values of one
// key, of the caller's resources of a type, sorted.
func (c *call) tagKeyValues(typ, key string, values bool, filter string) []string {
	seen := map[string]bool{}
	for _, r := range c.rmTaggables(typ) {
		for _, t := range *r.tags {
			s := t.Key
			if values {
				if t.Key != key {
					continue
				}
				s = t.Value
			}
			if strings.Contains(s, filter) {
				seen[s] = true
			}
		}
	}
	return sortedKeys(seen)
}

func listTagKeys(c *call) (any, error) {
	typ, err := c.rmTagType()
	if err != nil {
		return nil, err
	}
	c.tagPageSize()
	page, next, err := pageByToken(c, c.tagKeyValues(typ, "", false, c.p.get("KeyFilter")))
	if err != nil {
		return nil, err
	}
	var out struct {
		NextToken string `json:",omitempty"`
		Tags      []struct{ Key string }
	}
	out.NextToken = next
	out.Tags = make([]struct{ Key string }, 0, len(page))
	for _, k := range page {
		out.Tags = append(out.Tags, struct{ Key string }{k})
	}
	return out, nil
}

func listTagValues(c *call) (any, error) {
	typ, err := c.rmTagType()
	if err != nil {
		return nil, err
	}
	c.tagPageSize()
	page, next, err := pageByToken(c, c.tagKeyValues(typ, c.p.get("TagKey"), true, c.p.get("ValueFilter")))
	if err != nil {
		return nil, err
	}
	var out struct {
		NextToken string `json:",omitempty"`
		Tags      []struct{ Value string }
	}
	out.NextToken = next
	out.Tags = make([]struct{ Value string }, 0, len(page))
	for _, v := range page {
		out.Tags = append(out.Tags, struct{ Value string }{v})
	}
	return out, nil
}
