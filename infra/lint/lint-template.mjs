// Lints a synthesized CloudFormation template with two rule sets and fails on any finding that is neither fixed nor
// accepted with a written reason on the resource itself (the C# app writes them: infra/ChartBuster.Infra/LintFindings.cs):
//   - cdk-nag's AwsSolutions pack; accepted findings are cdk-nag's own `cdk_nag.rules_to_suppress` metadata;
//   - the AWS Control Tower proactive controls (cfn-guard, through @cdklabs/cdk-validator-cfnguard); accepted findings
//     are in `guard.SuppressedRules` (cfn-guard's own key) with the reason under `guard.Reasons.<rule>`.
// Usage: node infra/lint/lint-template.mjs TEMPLATE.json   (exit 0: no unexplained finding; 1: findings; 2: usage)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';

process.env.JSII_DEPRECATED = 'quiet'; // policyValidationBeta1 is the plugin's documented entry point

const [templateFile] = process.argv.slice(2);
if (!templateFile) {
  console.error('usage: node infra/lint/lint-template.mjs TEMPLATE.json');
  process.exit(2);
}

const template = JSON.parse(readFileSync(templateFile, 'utf8'));
const unexplained = [];
const accepted = [];

// cdk-nag calls this logger for every rule and resource; the default loggers only write annotations.
const logicalId = (resource) => Stack.of(resource).resolve(resource.logicalId);
const nagLogger = {
  onCompliance() {},
  onNotApplicable() {},
  onNonCompliance: (d) => unexplained.push(`${d.ruleId} ${logicalId(d.resource)}: ${d.ruleInfo} [${d.findingId}]`),
  onSuppressed: (d) => accepted.push(`${d.ruleId} ${logicalId(d.resource)} [${d.findingId}]: ${d.suppressionReason}`),
  onError: (d) => unexplained.push(`${d.ruleId} ${logicalId(d.resource)}: the rule failed: ${d.errorMessage}`),
  onSuppressedError: (d) => accepted.push(`${d.ruleId} ${logicalId(d.resource)} (rule error): ${d.errorSuppressionReason}`),
};

function lint(withGuard) {
  const outdir = mkdtempSync(join(tmpdir(), 'chartbuster-lint-'));
  try {
    const app = new App({ outdir, policyValidationBeta1: withGuard ? [new CfnGuardValidator()] : [] });
    // The included template brings its own parameters and rules, so the wrapper stack adds none.
    const stack = new Stack(app, 'Linted', { synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
    new CfnInclude(stack, 'Template', { templateFile });
    if (!withGuard) Aspects.of(app).add(new AwsSolutionsChecks({ additionalLoggers: [nagLogger] }));
    // The guard plugin prints its own report and makes synth throw when it finds violations: this script reports them.
    const print = console.error;
    if (withGuard) console.error = () => {};
    try {
      app.synth();
    } catch (error) {
      // cdk-nag refuses a malformed acceptance (e.g. a reason under 10 characters) by throwing: that is a finding too.
      if (!withGuard) unexplained.push(`cdk-nag stopped: ${error.message.replace(/\s+/g, ' ').replace(/ See https.*$/, '')}`);
    } finally {
      console.error = print;
    }
    return withGuard ? JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) : null;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

lint(false);

const report = lint(true);
for (const plugin of report.pluginReports) {
  for (const violation of plugin.violations) {
    const control = /^\[([^\]]+)\]/.exec(violation.description)?.[1] ?? violation.ruleName;
    for (const construct of violation.violatingConstructs) {
      const id = construct.cloudFormationResource?.logicalId ?? construct.constructPath;
      const guard = template.Resources?.[id]?.Metadata?.guard ?? {};
      const reason = (guard.SuppressedRules ?? []).includes(violation.ruleName) ? guard.Reasons?.[violation.ruleName] : undefined;
      if (typeof reason === 'string' && reason.trim().length >= 10) {
        accepted.push(`${control} ${id} [${violation.ruleName}]: ${reason}`);
      } else {
        unexplained.push(`${control} ${id}: ${violation.description.replace(/^\[[^\]]+\]: /, '')} [${violation.ruleName}; fix: ${violation.suggestedFix}]`);
      }
    }
  }
}

for (const line of accepted.sort()) console.log(`accepted     ${line}`);
for (const line of unexplained.sort()) console.log(`UNEXPLAINED  ${line}`);
console.log(`${templateFile}: ${unexplained.length} unexplained, ${accepted.length} accepted with a reason (cdk-nag AwsSolutions + Control Tower guard rules)`);
process.exit(unexplained.length === 0 ? 0 : 1);
