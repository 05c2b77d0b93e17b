package emulator

// Account-wide settings of resource groups: the notification switch
// (EnableResourceGroupNotification, DisableResourceGroupNotification,
// GetResourceGroupNotificationSetting) and the admin setting
// (GetResourceGroupAdminSetting, UpdateResourceGroupAdminSetting). Both
// start off, as on a new account.

const (
	errNotificationAlreadyOn  errCode = "UnsupportedOperation.RepeatEnableResourceGroupNotification"
	errNotificationAlreadyOff errCode = "UnsupportedOperation.RepeatDisableResourceGroupNotification"
)

func enableResourceGroupNotification(c *call) (any, error) {
	rs := c.st.resStore()
	if rs.NotificationsOn[c.caller.ID] {
		return nil, errNotificationAlreadyOn
	}
	rs.NotificationsOn[c.caller.ID] = true
	return nil, nil
}

func disableResourceGroupNotification(c *call) (any, error) {
	rs := c.st.resStore()
	if !rs.NotificationsOn[c.caller.ID] {
		return nil, errNotificationAlreadyOff
	}
	delete(rs.NotificationsOn, c.caller.ID)
	return nil, nil
}

func getResourceGroupNotificationSetting(c *call) (any, error) {
	return struct{ ResourceGroupNotificationEnableStatus bool }{c.st.resStore().NotificationsOn[c.caller.ID]}, nil
}

func getResourceGroupAdminSetting(c *call) (any, error) {
	return struct{ CreatorAsAdmin bool }{c.st.resStore().CreatorAsAdmin[c.caller.ID]}, nil
}

func updateResourceGroupAdminSetting(c *call) (any, error) {
	c.st.resStore().CreatorAsAdmin[c.caller.ID] = c.p.boolean("CreatorAsAdmin")
	return nil, nil
}
