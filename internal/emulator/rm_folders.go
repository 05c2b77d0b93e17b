package emulator

import "strings"

// Folders of the resource directory: CreateFolder, GetFolder,
// ListFoldersForParent, UpdateFolder, DeleteFolder.

const (
	errFolderNameInvalid   errCode = "InvalidParameter.Folder.Name"
	errFolderNameUsed      errCode = "InvalidParameter.Folder.Name.AlreadyUsed"
	errFolderDepth         errCode = "LimitExceeded.Folder.Depth"
	errFolderQuota         errCode = "QuotaExceeded.Folder.Count"
	errFolderHasSubFolders errCode = "DeleteConflict.Folder.SubFolder"
	errFolderHasAccounts   errCode = "DeleteConflict.Folder.Account"
)

// maxFolderDepth is the deepest level a folder may sit at below the root.
const maxFolderDepth = 5

type folderView struct {
	CreateTime            string
	FolderId              string
	FolderName            string
	ParentFolderId        string `json:",omitempty"`
	ResourceDirectoryPath string `json:",omitempty"`
}

func viewFolder(f *folder) folderView {
	return folderView{CreateTime: rmTime(f.Created), FolderId: f.ID, FolderName: f.Name, ParentFolderId: f.ParentID}
}

type folderReply struct{ Folder folderView }

// siblingNamed finds a folder with the given name under parent.
func (st *state) siblingNamed(parentID, name string) *folder {
	for _, f := range st.folders {
		if f.ParentID == parentID && f.Name == name {
			return f
		}
	}
	return nil
}

func createFolder(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	name := c.p.get("FolderName")
	if !validFolderName(name) {
		return nil, errFolderNameInvalid
	}
	parent, err := c.folderParam("ParentFolderId", "ParentFolderId")
	if err != nil {
		return nil, err
	}
	st := c.st
	if st.folderDepth(parent.ID)+1 > maxFolderDepth {
		return nil, errFolderDepth
	}
	if st.siblingNamed(parent.ID, name) != nil {
		return nil, errFolderNameUsed
	}
	if len(st.folders)-1 >= c.cfg.MaxFolders {
		return nil, errFolderQuota
	}
	f := &folder{order: st.next(), ID: "fd-" + st.token(10, alnum), Name: name, ParentID: parent.ID, Created: c.now}
	st.folders[f.ID] = f
	return folderReply{viewFolder(f)}, nil
}

func getFolder(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	f, err := c.folderParam("FolderId", "FolderId")
	if err != nil {
		return nil, err
	}
	v := viewFolder(f)
	v.ResourceDirectoryPath = c.st.folderPath(f.ID)
	return folderReply{v}, nil
}

func listFoldersForParent(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	parent, err := c.folderParam("ParentFolderId", "ParentFolderId")
	if err != nil {
		return nil, err
	}
	kw := strings.ToLower(c.p.get("QueryKeyword"))
	var found []*folder
	for _, f := range c.st.folders {
		if f.ParentID == parent.ID && (kw == "" || strings.Contains(strings.ToLower(f.Name), kw) || f.ID == kw) {
			found = append(found, f)
		}
	}
	byOrder(found, func(f *folder) int64 { return f.order })
	page, info := pageByNumber(c, found)
	type item struct {
		CreateTime string
		FolderId   string
		FolderName string
	}
	items := make([]item, 0, len(page))
	for _, f := range page {
		items = append(items, item{CreateTime: rmTime(f.Created), FolderId: f.ID, FolderName: f.Name})
	}
	return struct {
		Folders struct{ Folder []item }
		pageInfo
	}{Folders: struct{ Folder []item }{items}, pageInfo: info}, nil
}

func updateFolder(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	f, err := c.folderParam("FolderId", "FolderId")
	if err != nil {
		return nil, err
	}
	if f.ParentID == "" {
		return nil, invalidParam(c.codes, "FolderId", "")
	}
	name := c.p.get("NewFolderName")
	if !validFolderName(name) {
		return nil, errFolderNameInvalid
	}
	if other := c.st.siblingNamed(f.ParentID, name); other != nil && other != f {
		return nil, errFolderNameUsed
	}
	f.Name = name
	return folderReply{viewFolder(f)}, nil
}

func deleteFolder(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	f, err := c.folderParam("FolderId", "FolderId")
	if err != nil {
		return nil, err
	}
	st := c.st
	if f.ParentID == "" {
		return nil, invalidParam(c.codes, "FolderId", "")
	}
	for _, other := range st.folders {
		if other.ParentID == f.ID {
			return nil, errFolderHasSubFolders
		}
	}
	for _, a := range st.accounts {
		if a.inRD && a.FolderID == f.ID {
			return nil, errFolderHasAccounts
		}
	}
	delete(st.folders, f.ID)
	return nil, nil
}
