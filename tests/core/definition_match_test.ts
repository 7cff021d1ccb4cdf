import assert from "node:assert/strict";
import { sameDefinitionContent } from "../../core/definition_match.ts";
import { renderJobDefinition } from "../../core/definitions.ts";
import { describedJobDefinition } from "../support/aws_shapes.ts";
import { job } from "../support/jobs.ts";

const ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";

Deno.test("sameDefinitionContent() matches a definition as DescribeJobDefinitions returns it, defaults filled in", () => {
  for (const platform of ["FARGATE", "EC2"] as const) {
    const input = renderJobDefinition(job({ platform, command: "echo hi" }), {
      executionRoleArn: ROLE,
      standalone: true,
    });
    const found = describedJobDefinition(input, 3);
    assert.deepEqual(found.containerProperties.volumes, [], "the shape has AWS's filled-in lists");
    assert.equal(sameDefinitionContent(found, input), true, platform);
  }
});

Deno.test("sameDefinitionContent() tells apart what AWS did not fill in: another command, a volume, a tag", () => {
  const input = renderJobDefinition(job({ command: "echo hi" }), { executionRoleArn: ROLE, standalone: true });
  const other = renderJobDefinition(job({ command: "echo bye" }), { executionRoleArn: ROLE, standalone: true });
  assert.equal(sameDefinitionContent(describedJobDefinition(other, 1), input), false);
  const withVolume = describedJobDefinition(input, 1);
  withVolume.containerProperties.volumes = [{ name: "scratch", host: { sourcePath: "/tmp" } }];
  assert.equal(sameDefinitionContent(withVolume, input), false);
  assert.equal(sameDefinitionContent(describedJobDefinition({ ...input, tags: { team: "a" } }, 1), input), false);
  const publicIp = describedJobDefinition(input, 1);
  publicIp.containerProperties.networkConfiguration = { assignPublicIp: "ENABLED" };
  assert.equal(sameDefinitionContent(publicIp, input), false);
});
