package emulator

// Associated transfer: EnableAssociatedTransfer, DisableAssociatedTransfer,
// ListAssociatedTransferSetting, UpdateAssociatedTransferSetting. An
// account has no setting until it first enables the feature; from then on
// the setting lists one rule per pair of a primary resource type and a type
// of resource attached to it, each on or off. The emulator keeps the
// setting; it models no attachments between resources, so MoveResources
// moves only the resources it names.

const (
	errTransferAlreadyOn      errCode = "UnsupportedOperation.RepeatEnableAssociatedTransferSetting"
	errTransferAlreadyOff     errCode = "UnsupportedOperation.RepeatDisableAssociatedTransferSetting"
	errTransferNoSetting      errCode = "EntityNotExists.AssociatedTransferSetting"
	errTransferUpdateDisabled errCode = "UnsupportedOperation.UpdateAssociatedTransferRuleSetting"
	errTransferRuleNotFound   errCode = "EntityNotExists.AssociatedTransferRule"
)

// Statuses of the setting and its rules.
const (
	transferOn  = "Enable"
	transferOff = "Disable"
)

// transferPair is a primary resource type and a type attached to it that
// moves with it.
type transferPair struct{ MasterService, MasterType, AssociatedService, AssociatedType string }

// transferPairs are the documented associations of resources that move
// together (an ECS instance's disks, network interfaces and public IP, a
// VPC's vSwitches...), a fixed excerpt of the Resource Management
// documentation's list of resources that support associated transfer.
func transferPairs() []transferPair {
	return []transferPair{
		{"ecs", "instance", "ecs", "disk"},
		{"ecs", "instance", "ecs", "networkinterface"},
		{"ecs", "instance", "vpc", "eip"},
		{"ecs", "disk", "ecs", "snapshot"},
		{"vpc", "vpc", "vpc", "vswitch"},
		{"slb", "loadbalancer", "vpc", "eip"},
	}
}

// transferStore holds every account's associated transfer setting.
type transferStore struct {
	Accounts map[string]*transferSetting
}

type transferSetting struct {
	Enabled          bool
	ExistingTransfer bool
	RuleOn           []bool // by index of transferPairs
}

// transfer returns an account's setting, nil when the account never
// enabled the feature.
func (st *state) transfer(accountID string) *transferSetting {
	if st.transfers == nil {
		st.transfers = &transferStore{Accounts: map[string]*transferSetting{}}
	}
	return st.transfers.Accounts[accountID]
}

func enableAssociatedTransfer(c *call) (any, error) {
	t := c.st.transfer(c.caller.ID)
	if t == nil {
		t = &transferSetting{RuleOn: make([]bool, len(transferPairs()))}
		for i := range t.RuleOn {
			t.RuleOn[i] = true
		}
		c.st.transfers.Accounts[c.caller.ID] = t
	} else if t.Enabled {
		return nil, errTransferAlreadyOn
	}
	t.Enabled = true
	return nil, nil
}

func disableAssociatedTransfer(c *call) (any, error) {
	t := c.st.transfer(c.caller.ID)
	if t == nil || !t.Enabled {
		return nil, errTransferAlreadyOff
	}
	t.Enabled = false
	return nil, nil
}

func onOff(b bool) string {
	if b {
		return transferOn
	}
	return transferOff
}

func listAssociatedTransferSetting(c *call) (any, error) {
	t := c.st.transfer(c.caller.ID)
	if t == nil {
		return nil, errTransferNoSetting
	}
	type ruleView struct {
		AssociatedResourceType string
		AssociatedService      string
		MasterResourceType     string
		MasterService          string
		Status                 string
	}
	type settingView struct {
		AccountId                       string
		EnableExistingResourcesTransfer string
		RuleSettings                    []ruleView
		Status                          string
	}
	v := settingView{AccountId: c.caller.ID, Status: onOff(t.Enabled), RuleSettings: []ruleView{},
		EnableExistingResourcesTransfer: "false"}
	if t.ExistingTransfer {
		v.EnableExistingResourcesTransfer = "true"
	}
	for i, p := range transferPairs() {
		v.RuleSettings = append(v.RuleSettings, ruleView{p.AssociatedType, p.AssociatedService, p.MasterType,
			p.MasterService, onOff(t.RuleOn[i])})
	}
	return struct{ AssociatedTransferSetting settingView }{v}, nil
}

func updateAssociatedTransferSetting(c *call) (any, error) {
	t := c.st.transfer(c.caller.ID)
	if t == nil || !t.Enabled {
		return nil, errTransferUpdateDisabled
	}
	// Check every rule before changing any.
	pairs := transferPairs()
	type change struct {
		i  int
		on bool
	}
	var changes []change
	for _, rs := range c.p.structs("RuleSettings") {
		i := -1
		for j, p := range pairs {
			if p.MasterService == rs["MasterService"] && p.MasterType == rs["MasterResourceType"] &&
				p.AssociatedService == rs["AssociatedService"] && p.AssociatedType == rs["AssociatedResourceType"] {
				i = j
			}
		}
		if i < 0 {
			return nil, errTransferRuleNotFound
		}
		switch rs["Status"] {
		case transferOn, transferOff:
		default:
			return nil, invalidParam(c.codes, "RuleSettings", "")
		}
		changes = append(changes, change{i, rs["Status"] == transferOn})
	}
	for _, ch := range changes {
		t.RuleOn[ch.i] = ch.on
	}
	if v := c.p.get("EnableExistingResourcesTransfer"); v != "" {
		t.ExistingTransfer = v == "true"
	}
	return nil, nil
}
