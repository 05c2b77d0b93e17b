package emulator

import "strings"

// Resource directory: the directory itself and the checks shared by the
// handlers of its folders, accounts and handshakes.

const (
	errRDNotEnabled   errCode = "EntityNotExists.ResourceDirectory"
	errRDNotInUse     errCode = "ResourceDirectoryNotInUse"
	errFolderNotFound errCode = "EntityNotExists.Folder"
)

// requireManagement lets only the management account manage the
// directory. An account outside the directory is told the directory is not
// enabled for it, where the operation documents that; a member is not
// authorised.
func (c *call) requireManagement() error {
	if !c.st.rdEnabled() {
		return errRDNotEnabled
	}
	if c.caller.ID == c.st.managementID {
		return nil
	}
	if !c.caller.inRD && c.codes.has(string(errRDNotEnabled)) {
		return errRDNotEnabled
	}
	return errCode(codeForbiddenRAM)
}

// folderParam reads a folder ID parameter: empty means the root folder
// when optional, a malformed ID is InvalidParameter.<codeName>, an unknown
// one EntityNotExists.Folder.
func (c *call) folderParam(name, codeName string) (*folder, error) {
	id := c.p.get(name)
	if id == "" {
		return c.st.folders[c.st.rootID], nil
	}
	if !validFolderID(id) {
		return nil, invalidParam(c.codes, codeName, "")
	}
	f := c.st.folders[id]
	if f == nil {
		return nil, errFolderNotFound
	}
	return f, nil
}

// folderPath is the ResourceDirectoryPath of a folder: the directory ID and
// the folder IDs from the root down, joined by slashes.
func (st *state) folderPath(id string) string {
	var ids []string
	for f := st.folders[id]; f != nil; f = st.folders[f.ParentID] {
		ids = append(ids, f.ID)
		if f.ParentID == "" || len(ids) > 16 {
			break
		}
	}
	var b strings.Builder
	b.WriteString(st.rdID)
	for i := len(ids) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(ids[i])
	}
	return b.String()
}

// folderDepth is the number of folders between the root and id (the root
// is 0).
func (st *state) folderDepth(id string) int {
	d := 0
	for f := st.folders[id]; f != nil && f.ParentID != ""; f = st.folders[f.ParentID] {
		d++
		if d > 16 {
			break
		}
	}
	return d
}

type resourceDirectoryView struct {
	ControlPolicyStatus  string
	CreateTime           string
	IdentityInformation  string `json:",omitempty"`
	MasterAccountId      string
	MasterAccountName    string
	MemberDeletionStatus string
	ResourceDirectoryId  string
	RootFolderId         string
}

// getResourceDirectory answers members of the directory.
func getResourceDirectory(c *call) (any, error) {
	if !c.caller.inRD || !c.st.rdEnabled() {
		return nil, errRDNotInUse
	}
	st := c.st
	m := st.accounts[st.managementID]
	return struct{ ResourceDirectory resourceDirectoryView }{resourceDirectoryView{
		ControlPolicyStatus:  st.controlPolicyStatus(),
		CreateTime:           isoTime(st.rdCreated),
		MasterAccountId:      m.ID,
		MasterAccountName:    m.AccountName,
		MemberDeletionStatus: "Enabled",
		ResourceDirectoryId:  st.rdID,
		RootFolderId:         st.rootID,
	}}, nil
}
