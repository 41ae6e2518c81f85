// CloudFormation custom resource: an SSM SecureString parameter holding a random bearer token.
// The token is made here, so it never appears in the template, the stack's events or outputs: only the
// parameter's name does. Create makes it once; an update or a re-create keeps an existing value (tokens
// the machines already use stay valid); Delete removes it. Rotating is `aws ssm put-parameter --overwrite`.
const { SSMClient, PutParameterCommand, DeleteParameterCommand } = require('@aws-sdk/client-ssm');
const { randomBytes } = require('crypto');

const ssm = new SSMClient({});

async function respond(event, status, reason, physicalId) {
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: { ParameterName: physicalId },
  });
  // The pre-signed S3 URL was signed without a content type: send none.
  const res = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!res.ok) throw new Error('CloudFormation response rejected: ' + res.status);
}

async function createOnce(name, description) {
  try {
    await ssm.send(new PutParameterCommand({
      Name: name,
      Type: 'SecureString',
      Overwrite: false,
      // 32 random bytes: 43 URL-safe characters, usable as is in an Authorization header.
      Value: randomBytes(32).toString('base64url'),
      Description: description,
    }));
  } catch (e) {
    if (e.name !== 'ParameterAlreadyExists') throw e;
  }
}

async function remove(name) {
  try {
    await ssm.send(new DeleteParameterCommand({ Name: name }));
  } catch (e) {
    if (e.name !== 'ParameterNotFound') throw e;
  }
}

exports.handler = async (event) => {
  const name = event.ResourceProperties.ParameterName;
  const physicalId = event.RequestType === 'Create' ? name : event.PhysicalResourceId;
  try {
    if (event.RequestType === 'Delete') {
      // A failed Create reports the parameter's name too, so this never deletes anything else.
      if (physicalId && physicalId.startsWith('/')) await remove(physicalId);
      await respond(event, 'SUCCESS', 'deleted', physicalId);
    } else {
      await createOnce(name, event.ResourceProperties.Description);
      // A new name on Update: CloudFormation then deletes the old physical id.
      await respond(event, 'SUCCESS', 'ready', name);
    }
  } catch (e) {
    // Names and messages only: no value ever reaches a log line.
    console.log(event.RequestType + ' ' + name + ' failed: ' + e.name);
    await respond(event, 'FAILED', (e.name + ': ' + e.message).slice(0, 500), physicalId || name);
  }
};
