// A landing-zone workflow through the official TypeScript SDK of Resource
// Manager (@alicloud/resourcemanager20200331) and, for Resource Sharing,
// the generic OpenAPI client its generated clients are built on, against a
// running cmd/alicloud-emulator. binary_test.go runs it with the emulator's
// endpoint and keys in the environment; it exits non-zero on the first
// failed check.
'use strict';

const assert = require('node:assert/strict');
const RM = require('@alicloud/resourcemanager20200331');
const OpenApi = require('@alicloud/openapi-client');
const Util = require('@alicloud/tea-util');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const endpoint = env('EMULATOR_ENDPOINT'); // host:port
const config = (id, secret) => new OpenApi.Config({
  accessKeyId: id, accessKeySecret: secret, endpoint, protocol: 'http', regionId: 'cn-hangzhou',
  readTimeout: 10000, connectTimeout: 5000,
});
const management = config(env('MANAGEMENT_KEY_ID'), env('MANAGEMENT_KEY_SECRET'));
const outsider = config(env('OUTSIDE_KEY_ID'), env('OUTSIDE_KEY_SECRET'));
const outsideAccount = env('OUTSIDE_ACCOUNT_ID');

// sharing calls a Resource Sharing action the way a generated client does.
async function sharing(cfg, action, query) {
  const params = new OpenApi.Params({
    action, version: '2020-01-10', protocol: 'HTTPS', pathname: '/', method: 'POST',
    authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
  const out = await new OpenApi.default(cfg).callApi(params,
    new OpenApi.OpenApiRequest({ query: { RegionId: 'cn-hangzhou', ...query } }), new Util.RuntimeOptions({}));
  assert.equal(out.statusCode, 200, action);
  assert.ok(out.body.RequestId, `${action}: RequestId`);
  return out.body;
}

async function rejects(promise, code, status) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, code);
    assert.equal(err.statusCode, status);
    assert.ok(err.data && err.data.RequestId, `${code}: RequestId`);
    return true;
  });
}

async function main() {
  const rm = new RM.default(management);

  const dir = await rm.getResourceDirectory();
  const rootFolderId = dir.body.resourceDirectory.rootFolderId;
  assert.match(rootFolderId, /^r-/);

  const folder = await rm.createFolder(new RM.CreateFolderRequest({ folderName: 'ts-workloads', parentFolderId: rootFolderId }));
  const folderId = folder.body.folder.folderId;
  assert.match(folderId, /^fd-/);
  await rejects(rm.createFolder(new RM.CreateFolderRequest({ folderName: 'ts-workloads', parentFolderId: rootFolderId })),
    'InvalidParameter.Folder.Name.AlreadyUsed', 400);

  const created = await rm.createResourceAccount(new RM.CreateResourceAccountRequest({
    displayName: 'ts-prod', accountNamePrefix: 'ts-prod', parentFolderId: folderId,
  }));
  const accountId = created.body.account.accountId;
  assert.match(accountId, /^\d+$/);
  await rejects(rm.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'ts-prod', accountNamePrefix: 'ts-prod-2' })),
    'InvalidParameter.Account.DisplayName.AlreadyUsed', 409);

  const listed = await rm.listAccountsForParent(new RM.ListAccountsForParentRequest({ parentFolderId: folderId }));
  assert.deepEqual(listed.body.accounts.account.map((a) => a.accountId), [accountId]);

  const share = await sharing(management, 'CreateResourceShare', { ResourceShareName: 'ts-network', AllowExternalTargets: true });
  const shareId = share.ResourceShare.ResourceShareId;
  await sharing(management, 'AssociateResourceShare', { ResourceShareId: shareId, 'Targets.1': outsideAccount });

  const invitations = await sharing(outsider, 'ListResourceShareInvitations', {});
  assert.equal(invitations.ResourceShareInvitations.length, 1);
  const invitation = invitations.ResourceShareInvitations[0];
  assert.equal(invitation.ResourceShareId, shareId);
  assert.equal(invitation.Status, 'Pending');
  const accepted = await sharing(outsider, 'AcceptResourceShareInvitation', { ResourceShareInvitationId: invitation.ResourceShareInvitationId });
  assert.equal(accepted.ResourceShareInvitation.Status, 'Accepted');

  console.log(JSON.stringify({ folderId, accountId, shareId, invitation: invitation.ResourceShareInvitationId }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
