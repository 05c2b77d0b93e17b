package emulator

// The route table: every action of the API descriptions, by product.
// TestEveryOperationIsRouted keeps it complete.

func resourceManagerRoutes() map[string]route {
	return map[string]route{
		"GetResourceDirectory": {handle: getResourceDirectoryWithLifecycle},

		// Directory lifecycle (rm_dirlifecycle.go).
		"EnableResourceDirectory":         {handle: enableResourceDirectory},
		"InitResourceDirectory":           {handle: initResourceDirectory},
		"DestroyResourceDirectory":        {handle: destroyResourceDirectory},
		"SendVerificationCodeForEnableRD": {handle: sendVerificationCodeForEnableRD},
		"ListAncestors":                   {handle: listAncestors},

		// Account phone, e-mail, payer and deletion (rm_accountlifecycle.go).
		"BindSecureMobilePhone":                        {handle: bindSecureMobilePhone},
		"SendVerificationCodeForBindSecureMobilePhone": {handle: sendVerificationCodeForBindSecureMobilePhone},
		"ChangeAccountEmail":                           {handle: changeAccountEmail},
		"RetryChangeAccountEmail":                      {handle: retryChangeAccountEmail},
		"CancelChangeAccountEmail":                     {handle: cancelChangeAccountEmail},
		"ResendCreateCloudAccountEmail":                {handle: resendCreateCloudAccountEmail},
		"CancelCreateCloudAccount":                     {handle: cancelCreateCloudAccount},
		"CheckAccountDelete":                           {handle: checkAccountDelete},
		"GetAccountDeletionCheckResult":                {handle: getAccountDeletionCheckResult},
		"GetAccountDeletionStatus":                     {handle: getAccountDeletionStatus},
		"SetMemberDeletionPermission":                  {handle: setMemberDeletionPermission},
		"GetPayerForAccount":                           {handle: getPayerForAccount},

		"CreateFolder":         {handle: createFolder},
		"GetFolder":            {handle: getFolder},
		"ListFoldersForParent": {handle: listFoldersForParent},
		"UpdateFolder":         {handle: updateFolder, aliases: map[string]string{"NewFolderName": "FolderName"}},
		"DeleteFolder":         {handle: deleteFolder},

		"CreateResourceAccount":             {handle: createResourceAccount},
		"CreateCloudAccount":                {handle: createCloudAccount},
		"GetAccount":                        {handle: getAccount},
		"ListAccounts":                      {handle: listAccounts},
		"ListAccountsForParent":             {handle: listAccountsForParent},
		"MoveAccount":                       {handle: moveAccount},
		"UpdateAccount":                     {handle: updateAccount},
		"RemoveCloudAccount":                {handle: removeCloudAccount},
		"DeleteAccount":                     {handle: deleteAccount},
		"PromoteResourceAccount":            {handle: promoteResourceAccount},
		"ResendPromoteResourceAccountEmail": {handle: resendPromoteResourceAccountEmail},
		"CancelPromoteResourceAccount":      {handle: cancelPromoteResourceAccount},

		"InviteAccountToResourceDirectory":   {handle: inviteAccountToResourceDirectory},
		"AcceptHandshake":                    {handle: acceptHandshake},
		"DeclineHandshake":                   {handle: declineHandshake},
		"CancelHandshake":                    {handle: cancelHandshake},
		"GetHandshake":                       {handle: getHandshake},
		"ListHandshakesForAccount":           {handle: listHandshakesForAccount},
		"ListHandshakesForResourceDirectory": {handle: listHandshakesForResourceDirectory},

		"CreateResourceGroup": {handle: createResourceGroup},
		"GetResourceGroup":    {handle: getResourceGroup},
		"ListResourceGroups":  {handle: listResourceGroups},
		"UpdateResourceGroup": {handle: updateResourceGroup, aliases: map[string]string{"NewDisplayName": "DisplayName"}},
		"DeleteResourceGroup": {handle: deleteResourceGroup},

		// Resources in resource groups and the groups' settings.
		"MoveResources":                       {handle: moveResources},
		"ListResources":                       {handle: listResources},
		"GetResourceGroupResourceCounts":      {handle: getResourceGroupResourceCounts},
		"ListResourceGroupCapability":         {handle: listResourceGroupCapability},
		"ListResourceGroupsWithAuthDetails":   {handle: listResourceGroupsWithAuthDetails},
		"LookupResourceGroupEvents":           {handle: lookupResourceGroupEvents},
		"EnableResourceGroupNotification":     {handle: enableResourceGroupNotification},
		"DisableResourceGroupNotification":    {handle: disableResourceGroupNotification},
		"GetResourceGroupNotificationSetting": {handle: getResourceGroupNotificationSetting},
		"GetResourceGroupAdminSetting":        {handle: getResourceGroupAdminSetting},
		"UpdateResourceGroupAdminSetting":     {handle: updateResourceGroupAdminSetting},

		// Auto grouping and associated transfer.
		"EnableAutoGrouping":              {handle: enableAutoGrouping},
		"DisableAutoGrouping":             {handle: disableAutoGrouping},
		"GetAutoGroupingStatus":           {handle: getAutoGroupingStatus},
		"UpdateAutoGroupingConfig":        {handle: updateAutoGroupingConfig},
		"CreateAutoGroupingRule":          {handle: createAutoGroupingRule},
		"GetAutoGroupingRule":             {handle: getAutoGroupingRule},
		"UpdateAutoGroupingRule":          {handle: updateAutoGroupingRule},
		"DeleteAutoGroupingRule":          {handle: deleteAutoGroupingRule},
		"ListAutoGroupingRules":           {handle: listAutoGroupingRules},
		"ListAutoGroupingRemediations":    {handle: listAutoGroupingRemediations},
		"EnableAssociatedTransfer":        {handle: enableAssociatedTransfer},
		"DisableAssociatedTransfer":       {handle: disableAssociatedTransfer},
		"ListAssociatedTransferSetting":   {handle: listAssociatedTransferSetting},
		"UpdateAssociatedTransferSetting": {handle: updateAssociatedTransferSetting},

		"TagResources":     {handle: rmTagResources},
		"UntagResources":   {handle: rmUntagResources},
		"ListTagResources": {handle: rmListTagResources},
		"ListTagKeys":      {handle: listTagKeys},
		"ListTagValues":    {handle: listTagValues},

		"CreatePolicy":          {handle: createPolicy},
		"GetPolicy":             {handle: getPolicy},
		"ListPolicies":          {handle: listPolicies},
		"DeletePolicy":          {handle: deletePolicy},
		"AttachPolicy":          {handle: attachPolicy},
		"DetachPolicy":          {handle: detachPolicy},
		"ListPolicyAttachments": {handle: listPolicyAttachments},

		"CreateRole": {handle: createRole},
		"GetRole":    {handle: getRole},
		"ListRoles":  {handle: listRoles},
		"UpdateRole": {handle: updateRole},
		"DeleteRole": {handle: deleteRole},

		"CreateControlPolicy":                   {handle: createControlPolicy},
		"GetControlPolicy":                      {handle: getControlPolicy},
		"ListControlPolicies":                   {handle: listControlPolicies},
		"DeleteControlPolicy":                   {handle: deleteControlPolicy},
		"AttachControlPolicy":                   {handle: attachControlPolicy},
		"DetachControlPolicy":                   {handle: detachControlPolicy},
		"ListControlPolicyAttachmentsForTarget": {handle: listControlPolicyAttachmentsForTarget},
		"ListTargetAttachmentsForControlPolicy": {handle: listTargetAttachmentsForControlPolicy},
		"UpdateControlPolicy":                   {handle: updateControlPolicy},
		"EnableControlPolicy":                   {handle: enableControlPolicy},
		"DisableControlPolicy":                  {handle: disableControlPolicy},
		"GetControlPolicyEnablementStatus":      {handle: getControlPolicyEnablementStatus},

		// Policy versions, service-linked roles, delegated administrators.
		"CreatePolicyVersion":                {handle: createPolicyVersion},
		"DeletePolicyVersion":                {handle: deletePolicyVersion},
		"GetPolicyVersion":                   {handle: getPolicyVersion},
		"ListPolicyVersions":                 {handle: listPolicyVersions},
		"SetDefaultPolicyVersion":            {handle: setDefaultPolicyVersion},
		"CreateServiceLinkedRole":            {handle: createServiceLinkedRole},
		"DeleteServiceLinkedRole":            {handle: deleteServiceLinkedRole},
		"GetServiceLinkedRoleDeletionStatus": {handle: getServiceLinkedRoleDeletionStatus},
		"RegisterDelegatedAdministrator":     {handle: registerDelegatedAdministrator},
		"DeregisterDelegatedAdministrator":   {handle: deregisterDelegatedAdministrator},
		"ListDelegatedAdministrators":        {handle: listDelegatedAdministrators},
		"ListDelegatedServicesForAccount":    {handle: listDelegatedServicesForAccount},
		"ListTrustedServiceStatus":           {handle: listTrustedServiceStatus},
	}
}

func resourceSharingRoutes() map[string]route {
	return map[string]route{
		"CreateResourceShare": {handle: createResourceShare},
		"UpdateResourceShare": {handle: updateResourceShare},
		"DeleteResourceShare": {handle: deleteResourceShare},
		"ListResourceShares":  {handle: listResourceShares},
		"ChangeResourceGroup": {handle: changeResourceGroup},

		"AssociateResourceShare":        {handle: associateResourceShare},
		"DisassociateResourceShare":     {handle: disassociateResourceShare},
		"ListResourceShareAssociations": {handle: listResourceShareAssociations},
		"ListSharedResources":           {handle: listSharedResources},
		"ListSharedTargets":             {handle: listSharedTargets},

		"ListResourceShareInvitations":  {handle: listResourceShareInvitations},
		"AcceptResourceShareInvitation": {handle: acceptResourceShareInvitation},
		"RejectResourceShareInvitation": {handle: rejectResourceShareInvitation},

		"ListPermissions":                     {handle: listPermissions},
		"GetPermission":                       {handle: getPermission},
		"ListPermissionVersions":              {handle: listPermissionVersions},
		"ListResourceSharePermissions":        {handle: listResourceSharePermissions},
		"AssociateResourceSharePermission":    {handle: associateResourceSharePermission},
		"DisassociateResourceSharePermission": {handle: disassociateResourceSharePermission},

		"DescribeRegions":                         {handle: describeRegions},
		"CheckSharingWithResourceDirectoryStatus": {handle: checkSharingWithResourceDirectoryStatus},
		"EnableSharingWithResourceDirectory":      {handle: enableSharingWithResourceDirectory},

		"TagResources":     {handle: rsTagResources, aliases: map[string]string{"ResourceId": "ResourceIds", "Tag": "Tags"}},
		"UntagResources":   {handle: rsUntagResources},
		"ListTagResources": {handle: rsListTagResources},
	}
}
