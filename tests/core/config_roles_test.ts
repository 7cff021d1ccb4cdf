import assert from "node:assert/strict";
import { instanceProfileOf, partitionOf, resolveRoleArns } from "../../core/config_roles.ts";

Deno.test("resolveRoleArns() asks for the account id only when a role is not configured", async () => {
  let calls = 0;
  const accountId = () => {
    calls++;
    return Promise.resolve("123456789012");
  };
  const both = await resolveRoleArns({
    executionRoleArn: "arn:aws:iam::111111111111:role/exec",
    taskRoleArn: "arn:aws:iam::111111111111:role/task",
  }, { accountId });
  assert.deepEqual(both, {
    executionRoleArn: "arn:aws:iam::111111111111:role/exec",
    taskRoleArn: "arn:aws:iam::111111111111:role/task",
  });
  const taskFromExec = await resolveRoleArns({ executionRoleArn: "arn:aws:iam::111111111111:role/exec" }, {
    accountId,
  });
  assert.equal(taskFromExec.taskRoleArn, "arn:aws:iam::111111111111:role/exec");
  assert.equal(calls, 0);

  const defaults = await resolveRoleArns({}, { accountId });
  assert.deepEqual(defaults, {
    executionRoleArn: "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
    taskRoleArn: "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
  });
  assert.equal(calls, 1, "one lookup serves both defaults");
});

Deno.test("resolveRoleArns() uses the region's partition and rejects a malformed account id", async () => {
  const china = await resolveRoleArns({ region: "cn-north-1" }, { accountId: () => Promise.resolve("123456789012") });
  assert.equal(china.executionRoleArn, "arn:aws-cn:iam::123456789012:role/ecsTaskExecutionRole");
  assert.equal(partitionOf("us-gov-west-1"), "aws-us-gov");
  assert.equal(partitionOf(undefined), "aws");
  await assert.rejects(resolveRoleArns({}, { accountId: () => Promise.resolve("") }), /12-digit account id/);
});

Deno.test("instanceProfileOf() turns the Python default role ARN into an instance profile", () => {
  assert.equal(instanceProfileOf({}), "ecsInstanceRole");
  assert.equal(instanceProfileOf({ instanceRole: "myProfile" }), "myProfile");
  assert.equal(
    instanceProfileOf({ instanceRole: "arn:aws:iam::123456789012:role/ecsInstanceRole" }),
    "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole",
  );
  assert.equal(
    instanceProfileOf({ instanceRole: "arn:aws:iam::123456789012:instance-profile/p" }),
    "arn:aws:iam::123456789012:instance-profile/p",
  );
});
