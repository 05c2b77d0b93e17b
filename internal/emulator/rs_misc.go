package emulator

// Resource Sharing's remaining actions: DescribeRegions,
// CheckSharingWithResourceDirectoryStatus, EnableSharingWithResourceDirectory
// and ChangeResourceGroup (of a resource share).

const (
	errActionNotPermitted   errCode = "ActionNotPermitted"
	errAlreadyEnabled       errCode = "AlreadyEnabled"
	errInvalidResourceGroup errCode = "InvalidResourceGroup"
	errResourceNotFound     errCode = "ResourceNotFound"
)

// region is one region the emulator lists.
type region struct{ ID, NameEN, NameZH string }

func regions() []region {
	return []region{
		{"cn-hangzhou", "China (Hangzhou)", "华东1（杭州）"},
		{"cn-shanghai", "China (Shanghai)", "华东2（上海）"},
		{"cn-beijing", "China (Beijing)", "华北2（北京）"},
		{"cn-shenzhen", "China (Shenzhen)", "华南1（深圳）"},
		{"ap-southeast-1", "Singapore", "新加坡"},
	}
}

func describeRegions(c *call) (any, error) {
	type view struct{ LocalName, RegionEndpoint, RegionId string }
	out := struct{ Regions []view }{}
	zh := c.p.get("AcceptLanguage") == "zh-CN"
	for _, r := range regions() {
		name := r.NameEN
		if zh {
			name = r.NameZH
		}
		out.Regions = append(out.Regions, view{name, "resourcesharing." + r.ID + ".aliyuncs.com", r.ID})
	}
	return out, nil
}

func checkSharingWithResourceDirectoryStatus(c *call) (any, error) {
	enabled := c.st.sharingEnabled && c.caller.inRD
	return struct{ EnableSharingWithRd bool }{enabled}, nil
}

func enableSharingWithResourceDirectory(c *call) (any, error) {
	if c.caller.ID != c.st.managementID {
		return nil, errActionNotPermitted
	}
	if c.st.sharingEnabled {
		return nil, errAlreadyEnabled
	}
	c.st.sharingEnabled = true
	return nil, nil
}

// changeResourceGroup moves a resource share to another resource group of
// its owner.
func changeResourceGroup(c *call) (any, error) {
	st := c.st
	known := false
	for _, r := range regions() {
		known = known || r.ID == c.p.get("ResourceRegionId")
	}
	if !known {
		return nil, errResourceNotFound
	}
	g := st.groups[c.p.get("ResourceGroupId")]
	if g == nil || g.AccountID != c.caller.ID || g.Status == groupPendingDelete {
		return nil, errInvalidResourceGroup
	}
	sh := st.shares[c.p.get("ResourceId")]
	if sh == nil || sh.Owner != c.caller.ID || sh.Region != c.p.get("ResourceRegionId") || sh.Status == shareDeleted {
		return nil, errResourceNotFound
	}
	sh.ResourceGroupID, sh.Updated = g.ID, c.now
	return nil, nil
}
