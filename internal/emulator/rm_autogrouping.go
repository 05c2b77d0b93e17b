package emulator

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Automatic grouping of resources: EnableAutoGrouping, DisableAutoGrouping,
// GetAutoGroupingStatus, UpdateAutoGroupingConfig, and the rules
// (CreateAutoGroupingRule, GetAutoGroupingRule, UpdateAutoGroupingRule,
// DeleteAutoGroupingRule, ListAutoGroupingRules) whose effects
// ListAutoGroupingRemediations reports. Enabling is Enabling in the reply
// and Enable from the next request on. While it is on, a custom_condition
// rule moves each resource registered afterwards that is within the rule's
// scopes and matches one of its contents into the content's target group;
// with EnableExistingResourcesTransfer, creating or changing a rule also
// moves the resources that already exist. Each such move is a remediation.
//
// Conditions are the documented JSON trees {"operator":"and","children":
// [{"featurePath":...,"operator":"StringEquals","desired":...}]}. The
// emulator evaluates StringEquals on $.resourceId, $.regionId,
// $.resourceType, $.service and $.resourceGroupId; resources carry no tags
// here, so a $.tags condition never matches.

const (
	errAutoGroupingNotEnabled      errCode = "AutoGroupingNotEnabled"
	errAutoGroupingAlreadyOn       errCode = "UnsupportedOperation.RepeatEnableAutoGrouping"
	errAutoGroupingAlreadyOff      errCode = "UnsupportedOperation.RepeatDisableAutoGrouping"
	errGroupingRuleNotFound        errCode = "EntityNotExists.AutoGroupingRule"
	errAssociatedRuleExists        errCode = "Invalid.AssociatedTransferRule.AlreadyExisted"
	errAssociatedRuleNotSupported  errCode = "Invalid.AssociatedTransferRule.NotSupported"
	errRuleTypesScope              errCode = "InvalidParameter.ResourceTypesScope"
	errRuleExcludeTypesScope       errCode = "InvalidParameter.ExcludeResourceTypesScope"
	errRuleGroupsScope             errCode = "InvalidParameter.ResourceGroupIdsScope"
	errRuleExcludeGroupsScope      errCode = "InvalidParameter.ExcludeResourceGroupIdsScope"
	errRuleBothRegionScopes        errCode = "InvalidParameterCombination.BothRegionIdScopes"
	errRuleBothGroupScopes         errCode = "InvalidParameterCombination.BothResourceGroupIdScopes"
	errRuleBothIDScopes            errCode = "InvalidParameterCombination.BothResourceIdScopes"
	errRuleBothTypeScopes          errCode = "InvalidParameterCombination.BothResourceTypeScopes"
	errRuleContentsInvalid         errCode = "InvalidParameter.RuleContents"
	errRuleContentQuota            errCode = "QuotaExceeded.RuleContent"
	errGroupingRuleQuota           errCode = "QuotaExceeded.GroupingRule"
	maxGroupingRules, maxRuleItems         = 100, 10
)

// Auto grouping statuses and rule types, as the API spells them.
const (
	autoGroupingOff      = "Disable"
	autoGroupingEnabling = "Enabling"
	autoGroupingOn       = "Enable"

	ruleCustom     = "custom_condition"
	ruleAssociated = "associated_transfer"
)

// ruleScopes are the scope parameters of a rule, include and exclude pairs.
var ruleScopes = []struct{ include, exclude string }{
	{"RegionIdsScope", "ExcludeRegionIdsScope"},
	{"ResourceGroupIdsScope", "ExcludeResourceGroupIdsScope"},
	{"ResourceIdsScope", "ExcludeResourceIdsScope"},
	{"ResourceTypesScope", "ExcludeResourceTypesScope"},
}

// autoGroupingStore holds every account's auto grouping.
type autoGroupingStore struct {
	Accounts map[string]*autoGrouping
}

type autoGrouping struct {
	Enabled bool
	// ReadySeq is the request that enabled it: Enabling until a later one.
	ReadySeq         int64
	ExistingTransfer bool
	Rules            []*groupingRule
	Remediations     []remediation
}

type groupingRule struct {
	ID, Name, Desc, Type string
	Scopes               map[string]string // by parameter name
	Contents             []ruleContent
	Created, Modified    time.Time
}

type ruleContent struct{ ID, Scope, Target string }

// remediation is one resource a rule moved.
type remediation struct {
	ID, RuleID                                  string
	Time                                        time.Time
	Service, ResourceType, ResourceID, RegionID string
	GroupID, GroupName                          string
}

// autoGrouping returns an account's auto grouping, creating the store and
// the entry on first use.
func (st *state) autoGrouping(accountID string) *autoGrouping {
	if st.autoGroups == nil {
		st.autoGroups = &autoGroupingStore{Accounts: map[string]*autoGrouping{}}
	}
	ag := st.autoGroups.Accounts[accountID]
	if ag == nil {
		ag = &autoGrouping{}
		st.autoGroups.Accounts[accountID] = ag
	}
	return ag
}

func (st *state) autoGroupingStatus(ag *autoGrouping) string {
	switch {
	case !ag.Enabled:
		return autoGroupingOff
	case ag.ReadySeq >= st.reqSeq:
		return autoGroupingEnabling
	default:
		return autoGroupingOn
	}
}

// enabledAutoGrouping is the caller's auto grouping, which the rule
// operations need on.
func (c *call) enabledAutoGrouping() (*autoGrouping, error) {
	ag := c.st.autoGrouping(c.caller.ID)
	if !ag.Enabled {
		return nil, errAutoGroupingNotEnabled
	}
	return ag, nil
}

func enableAutoGrouping(c *call) (any, error) {
	ag := c.st.autoGrouping(c.caller.ID)
	if ag.Enabled {
		return nil, errAutoGroupingAlreadyOn
	}
	ag.Enabled, ag.ReadySeq = true, c.st.reqSeq
	return nil, nil
}

func disableAutoGrouping(c *call) (any, error) {
	ag := c.st.autoGrouping(c.caller.ID)
	if !ag.Enabled {
		return nil, errAutoGroupingAlreadyOff
	}
	ag.Enabled = false
	return nil, nil
}

func getAutoGroupingStatus(c *call) (any, error) {
	ag := c.st.autoGrouping(c.caller.ID)
	return struct {
		EnableExistedResourcesTransfer bool
		EnableStatus                   string
	}{ag.ExistingTransfer, c.st.autoGroupingStatus(ag)}, nil
}

func updateAutoGroupingConfig(c *call) (any, error) {
	ag, err := c.enabledAutoGrouping()
	if err != nil {
		return nil, err
	}
	if c.p.has("EnableExistingResourcesTransfer") {
		ag.ExistingTransfer = c.p.boolean("EnableExistingResourcesTransfer")
	}
	return nil, nil
}

// scopeList splits a comma-separated scope.
func scopeList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// readScopes reads and checks the scope parameters of a rule.
func (c *call) readScopes() (map[string]string, error) {
	both := []errCode{errRuleBothRegionScopes, errRuleBothGroupScopes, errRuleBothIDScopes, errRuleBothTypeScopes}
	scopes := map[string]string{}
	for i, s := range ruleScopes {
		in, ex := c.p.get(s.include), c.p.get(s.exclude)
		if in != "" && ex != "" {
			return nil, both[i]
		}
		if in != "" {
			scopes[s.include] = in
		}
		if ex != "" {
			scopes[s.exclude] = ex
		}
	}
	checks := []struct {
		name string
		code errCode
		ok   func(string) bool
	}{
		{"ResourceTypesScope", errRuleTypesScope, validScopeType},
		{"ExcludeResourceTypesScope", errRuleExcludeTypesScope, validScopeType},
		{"ResourceGroupIdsScope", errRuleGroupsScope, c.ownGroup},
		{"ExcludeResourceGroupIdsScope", errRuleExcludeGroupsScope, c.ownGroup},
	}
	for _, ch := range checks {
		for _, v := range scopeList(scopes[ch.name]) {
			if !ch.ok(v) {
				return nil, ch.code
			}
		}
	}
	return scopes, nil
}

// validScopeType: "service.type" of a catalogued resource type.
func validScopeType(v string) bool {
	svc, typ, ok := strings.Cut(v, ".")
	_, known := catalogued(svc, typ)
	return ok && known
}

// ownGroup reports whether id is one of the caller's live groups.
func (c *call) ownGroup(id string) bool {
	g := c.st.groups[id]
	return g != nil && g.AccountID == c.caller.ID && g.Status != groupPendingDelete
}

// condition is a rule condition tree.
type condition struct {
	Operator    string      `json:"operator"`
	Children    []condition `json:"children"`
	FeaturePath string      `json:"featurePath"`
	FeatureSrc  string      `json:"featureSource"`
	Desired     string      `json:"desired"`
}

func parseCondition(s string) (condition, bool) {
	var cond condition
	if err := json.Unmarshal([]byte(s), &cond); err != nil {
		return condition{}, false
	}
	return cond, true
}

// targetGroup is the group a target condition names.
func targetGroup(cond condition) string {
	if cond.FeaturePath == "$.resourceGroupId" {
		return cond.Desired
	}
	for _, ch := range cond.Children {
		if g := targetGroup(ch); g != "" {
			return g
		}
	}
	return ""
}

// matches evaluates a scope condition against a resource.
func (cond condition) matches(r *cloudResource) bool {
	if len(cond.Children) > 0 {
		or := strings.EqualFold(cond.Operator, "or")
		for _, ch := range cond.Children {
			if ch.matches(r) == or {
				return or
			}
		}
		return !or
	}
	var have string
	switch cond.FeaturePath {
	case "$.resourceId":
		have = r.ResourceID
	case "$.regionId":
		have = r.RegionID
	case "$.resourceType":
		have = r.ResourceType
	case "$.service":
		have = r.Service
	case "$.resourceGroupId":
		have = r.GroupID
	default:
		return false
	}
	return cond.Operator == "StringEquals" && have == cond.Desired
}

// readContents reads RuleContents.N; keep are the contents of the rule
// being updated, whose IDs an update may name.
func (c *call) readContents(keep []ruleContent) ([]ruleContent, error) {
	items := c.p.structs("RuleContents")
	if len(items) > maxRuleItems {
		return nil, errRuleContentQuota
	}
	out := make([]ruleContent, 0, len(items))
	for _, it := range items {
		target, ok := parseCondition(it["TargetResourceGroupCondition"])
		if !ok || !c.ownGroup(targetGroup(target)) {
			return nil, errRuleContentsInvalid
		}
		if s := it["AutoGroupingScopeCondition"]; s != "" {
			if _, ok := parseCondition(s); !ok {
				return nil, errRuleContentsInvalid
			}
		}
		rc := ruleContent{Scope: it["AutoGroupingScopeCondition"], Target: it["TargetResourceGroupCondition"]}
		if id := it["RuleContentId"]; id != "" {
			if !slices.ContainsFunc(keep, func(k ruleContent) bool { return k.ID == id }) {
				return nil, errRuleContentsInvalid
			}
			rc.ID = id
		} else {
			rc.ID = "grc-" + c.st.token(14, lowerAlnum)
		}
		out = append(out, rc)
	}
	return out, nil
}

// inScope reports whether a resource is within a rule's scopes.
func (r *groupingRule) inScope(res *cloudResource) bool {
	check := func(include, exclude, have string) bool {
		if in := scopeList(r.Scopes[include]); len(in) > 0 && !slices.Contains(in, have) {
			return false
		}
		return !slices.Contains(scopeList(r.Scopes[exclude]), have)
	}
	return check("RegionIdsScope", "ExcludeRegionIdsScope", res.RegionID) &&
		check("ResourceGroupIdsScope", "ExcludeResourceGroupIdsScope", res.GroupID) &&
		check("ResourceIdsScope", "ExcludeResourceIdsScope", res.ResourceID) &&
		check("ResourceTypesScope", "ExcludeResourceTypesScope", res.Service+"."+res.ResourceType)
}

// applyRule moves a resource by a custom rule's first matching content, and
// records the remediation.
func (st *state) applyRule(ag *autoGrouping, rule *groupingRule, res *cloudResource, now time.Time) bool {
	if rule.Type != ruleCustom || !rule.inScope(res) {
		return false
	}
	for _, rc := range rule.Contents {
		if rc.Scope != "" {
			cond, ok := parseCondition(rc.Scope)
			if !ok || !cond.matches(res) {
				continue
			}
		}
		cond, _ := parseCondition(rc.Target)
		to := st.groups[targetGroup(cond)]
		if to == nil || to.AccountID != res.AccountID || to.Status == groupPendingDelete || to.ID == res.GroupID {
			return false
		}
		from := st.groups[res.GroupID]
		res.GroupID = to.ID
		st.recordMove(res, from, to, now)
		ag.Remediations = append(ag.Remediations, remediation{ID: strings.ReplaceAll(st.uuid(), "-", ""),
			RuleID: rule.ID, Time: now, Service: res.Service, ResourceType: res.ResourceType,
			ResourceID: res.ResourceID, RegionID: res.RegionID, GroupID: to.ID, GroupName: to.DisplayName})
		return true
	}
	return false
}

// autoGroup applies the owner's rules to a new resource, the first rule
// that moves it winning.
func (st *state) autoGroup(res *cloudResource, now time.Time) {
	if st.autoGroups == nil {
		return
	}
	ag := st.autoGroups.Accounts[res.AccountID]
	if ag == nil || st.autoGroupingStatus(ag) != autoGroupingOn {
		return
	}
	for _, rule := range ag.Rules {
		if st.applyRule(ag, rule, res, now) {
			return
		}
	}
}

// applyToExisting runs a new or changed rule over the account's resources
// when the account transfers existing resources.
func (st *state) applyToExisting(ag *autoGrouping, rule *groupingRule, accountID string, now time.Time) {
	if !ag.ExistingTransfer || st.autoGroupingStatus(ag) != autoGroupingOn {
		return
	}
	for _, res := range st.resourcesOf(accountID) {
		st.applyRule(ag, rule, res, now)
	}
}

func createAutoGroupingRule(c *call) (any, error) {
	ag, err := c.enabledAutoGrouping()
	if err != nil {
		return nil, err
	}
	typ := c.p.get("RuleType")
	if typ == ruleAssociated && slices.ContainsFunc(ag.Rules, func(r *groupingRule) bool { return r.Type == ruleAssociated }) {
		return nil, errAssociatedRuleExists
	}
	if len(ag.Rules) >= maxGroupingRules {
		return nil, errGroupingRuleQuota
	}
	scopes, err := c.readScopes()
	if err != nil {
		return nil, err
	}
	contents, err := c.readContents(nil)
	if err != nil {
		return nil, err
	}
	rule := &groupingRule{ID: "gr-" + c.st.token(14, lowerAlnum), Name: c.p.get("RuleName"), Desc: c.p.get("RuleDesc"),
		Type: typ, Scopes: scopes, Contents: contents, Created: c.now, Modified: c.now}
	ag.Rules = append(ag.Rules, rule)
	c.st.applyToExisting(ag, rule, c.caller.ID, c.now)
	return struct{ RuleId string }{rule.ID}, nil
}

// ruleParam finds one of the caller's rules.
func (c *call) ruleParam(ag *autoGrouping) (*groupingRule, error) {
	id := c.p.get("RuleId")
	for _, r := range ag.Rules {
		if r.ID == id {
			return r, nil
		}
	}
	return nil, errGroupingRuleNotFound
}

type ruleContentView struct {
	AutoGroupingScopeCondition   string
	RuleContentId                string
	TargetResourceGroupCondition string
}

type ruleView struct {
	CreateTime                   string
	ExcludeRegionIdsScope        string
	ExcludeResourceGroupIdsScope string
	ExcludeResourceIdsScope      string
	ExcludeResourceTypesScope    string
	ModifyTime                   string
	RegionIdsScope               string
	ResourceGroupIdsScope        string
	ResourceIdsScope             string
	ResourceTypesScope           string
	RuleContents                 []ruleContentView
	RuleDesc                     string
	RuleId                       string
	RuleName                     string
	RuleType                     string
}

func viewRule(r *groupingRule) ruleView {
	v := ruleView{CreateTime: isoTime(r.Created), ModifyTime: isoTime(r.Modified),
		ExcludeRegionIdsScope: r.Scopes["ExcludeRegionIdsScope"], ExcludeResourceGroupIdsScope: r.Scopes["ExcludeResourceGroupIdsScope"],
		ExcludeResourceIdsScope: r.Scopes["ExcludeResourceIdsScope"], ExcludeResourceTypesScope: r.Scopes["ExcludeResourceTypesScope"],
		RegionIdsScope: r.Scopes["RegionIdsScope"], ResourceGroupIdsScope: r.Scopes["ResourceGroupIdsScope"],
		ResourceIdsScope: r.Scopes["ResourceIdsScope"], ResourceTypesScope: r.Scopes["ResourceTypesScope"],
		RuleContents: make([]ruleContentView, 0, len(r.Contents)), RuleDesc: r.Desc, RuleId: r.ID, RuleName: r.Name, RuleType: r.Type}
	for _, rc := range r.Contents {
		v.RuleContents = append(v.RuleContents, ruleContentView{rc.Scope, rc.ID, rc.Target})
	}
	return v
}

func getAutoGroupingRule(c *call) (any, error) {
	ag, err := c.enabledAutoGrouping()
	if err != nil {
		return nil, err
	}
	r, err := c.ruleParam(ag)
	if err != nil {
		return nil, err
	}
	return struct{ Rule ruleView }{viewRule(r)}, nil
}

func updateAutoGroupingRule(c *call) (any, error) {
	ag, err := c.enabledAutoGrouping()
	if err != nil {
		return nil, err
	}
	r, err := c.ruleParam(ag)
	if err != nil {
		return nil, err
	}
	if r.Type == ruleAssociated {
		return nil, errAssociatedRuleNotSupported
	}
	scopes, err := c.readScopes()
	if err != nil {
		return nil, err
	}
	contents, err := c.readContents(r.Contents)
	if err != nil {
		return nil, err
	}
	r.Name, r.Scopes, r.Contents, r.Modified = c.p.get("RuleName"), scopes, contents, c.now
	if c.p.has("RuleDesc") {
		r.Desc = c.p.get("RuleDesc")
	}
	c.st.applyToExisting(ag, r, c.caller.ID, c.now)
	return nil, nil
}

func deleteAutoGroupingRule(c *call) (any, error) {
	ag, err := c.enabledAutoGrouping()
	if err != nil {
		return nil, err
	}
	r, err := c.ruleParam(ag)
	if err != nil {
		return nil, err
	}
	ag.Rules = slices.DeleteFunc(ag.Rules, func(x *groupingRule) bool { return x == r })
	return nil, nil
}

func listAutoGroupingRules(c *call) (any, error) {
	ag, err := c.enabledAutoGrouping()
	if err != nil {
		return nil, err
	}
	id, name, typ := c.p.get("RuleId"), c.p.get("RuleName"), c.p.get("RuleType")
	var found []*groupingRule
	for _, r := range ag.Rules {
		if (id == "" || r.ID == id) && (name == "" || strings.Contains(r.Name, name)) && (typ == "" || r.Type == typ) {
			found = append(found, r)
		}
	}
	if c.p.get("MaxResults") == "" {
		c.p["MaxResults"] = []string{"10"}
	}
	page, next, err := pageByToken(c, found)
	if err != nil {
		return nil, err
	}
	out := struct {
		MaxResults int
		NextToken  string `json:",omitempty"`
		Rules      []ruleView
	}{MaxResults: c.p.integer("MaxResults", 10), NextToken: next, Rules: make([]ruleView, 0, len(page))}
	for _, r := range page {
		out.Rules = append(out.Rules, viewRule(r))
	}
	return out, nil
}

func listAutoGroupingRemediations(c *call) (any, error) {
	ag, err := c.enabledAutoGrouping()
	if err != nil {
		return nil, err
	}
	from, err := eventTime(c, "EarliestRemediationTime")
	if err != nil {
		return nil, err
	}
	to, err := eventTime(c, "LatestRemediationTime")
	if err != nil {
		return nil, err
	}
	rule, res, typ := c.p.get("RuleId"), c.p.get("ResourceId"), c.p.get("ResourceType")
	svc, group := c.p.get("Service"), c.p.get("TargetResourceGroupId")
	var found []remediation
	for _, r := range ag.Remediations {
		switch {
		case r.RuleID != rule,
			res != "" && r.ResourceID != res,
			typ != "" && !strings.EqualFold(r.ResourceType, typ),
			svc != "" && !strings.EqualFold(r.Service, svc),
			group != "" && r.GroupID != group,
			!from.IsZero() && r.Time.Before(from),
			!to.IsZero() && r.Time.After(to):
			continue
		}
		found = append(found, r)
	}
	if c.p.get("MaxResults") == "" {
		c.p["MaxResults"] = []string{"10"}
	}
	page, next, err := pageByToken(c, found)
	if err != nil {
		return nil, err
	}
	type groupInfo struct{ ResourceGroupDisplayName, ResourceGroupId string }
	type view struct {
		RegionId                string
		RemediationId           string
		RemediationTime         string
		ResourceId              string
		ResourceType            string
		Service                 string
		TargetResourceGroupInfo groupInfo
	}
	out := struct {
		MaxResults   int
		NextToken    string `json:",omitempty"`
		Remediations []view
	}{MaxResults: c.p.integer("MaxResults", 10), NextToken: next, Remediations: make([]view, 0, len(page))}
	for _, r := range page {
		out.Remediations = append(out.Remediations, view{r.RegionID, r.ID, r.Time.UTC().Format(time.DateTime),
			r.ResourceID, r.ResourceType, r.Service, groupInfo{r.GroupName, r.GroupID}})
	}
	return out, nil
}
