using System.Runtime.CompilerServices;
using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Constructs;

namespace ChartBuster.Infra;

/// <summary>
/// Template-linter findings this stack accepts, each with its reason, written as metadata on the resource itself so that
/// the reason travels with the template: cdk-nag's <c>cdk_nag.rules_to_suppress</c> for its AwsSolutions rules
/// ("AwsSolutions-…"), and cfn-guard's <c>guard.SuppressedRules</c> with <c>guard.Reasons</c> for the Control Tower
/// guard rules (their rule names, e.g. "ecs_service_assign_public_ip_disabled_check"). infra/lint/lint-template.mjs
/// fails on every finding without one.
/// </summary>
public static class LintFindings
{
    private const string NagPrefix = "AwsSolutions-";

    private static readonly ConditionalWeakTable<CfnResource, Accepted> s_accepted = [];

    /// <summary>Accepts <paramref name="rule"/> on the resource of <paramref name="construct"/> (itself or its default child).</summary>
    /// <param name="appliesTo">cdk-nag finding ids the acceptance is limited to (e.g. "Action::s3:GetObject*"); a
    /// value starting with "/" is a regular expression (cdk-nag's syntax, "/…/g").</param>
    public static void Accept(IConstruct construct, string rule, string reason, params string[] appliesTo)
    {
        ArgumentNullException.ThrowIfNull(construct);
        ArgumentException.ThrowIfNullOrWhiteSpace(rule);
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 10)
        {
            throw new ArgumentException($"Accepting {rule} needs a reason of at least 10 characters.", nameof(reason));
        }

        var resource = construct as CfnResource ?? construct.Node.DefaultChild as CfnResource
            ?? throw new ArgumentException($"{construct.Node.Path} is not a CloudFormation resource and has none as its default child.", nameof(construct));
        var accepted = s_accepted.GetValue(resource, _ => new Accepted());
        if (rule.StartsWith(NagPrefix, StringComparison.Ordinal))
        {
            accepted.Nag.Add(NagSuppression(rule, reason, appliesTo));
            resource.AddMetadata("cdk_nag", new Dictionary<string, object> { ["rules_to_suppress"] = accepted.Nag.ToArray() });
        }
        else
        {
            accepted.Guard[rule] = reason;
            resource.AddMetadata("guard", new Dictionary<string, object>
            {
                ["SuppressedRules"] = accepted.Guard.Keys.ToArray(),
                ["Reasons"] = new Dictionary<string, object>(accepted.Guard.Select(r => KeyValuePair.Create(r.Key, (object)r.Value))),
            });
        }
    }

    /// <summary>
    /// Accepts the wildcards of CDK's bucket grants in a role's policy: action families (s3:GetObject*, s3:List*, …) on the
    /// objects (bucket/*) of this stack's own buckets. Nothing else: a wildcard on another resource is still a finding.
    /// </summary>
    public static void AcceptBucketGrants(IRole role) =>
        Accept(PolicyOf(role), "AwsSolutions-IAM5",
            "CDK bucket grants: the read/put action families of S3 on the objects of one of this stack's buckets (bucket/*), which a role reading or writing datasets and models needs; never s3:* and never s3:Delete*.",
            "Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Action::s3:Abort*", @"/^Resource::<Buckets(Raw|Ready|Artifacts)[0-9A-F]{8}\.Arn>\/\*$/g");

    /// <summary>Accepts object wildcards under named prefixes of the ready bucket (journeys/*, datasets/*/report.json, datasets/*/rejects.csv).</summary>
    public static void AcceptReadyPrefixGrants(IRole role, string reason) =>
        Accept(PolicyOf(role), "AwsSolutions-IAM5", reason, @"/^Resource::<BucketsReady[0-9A-F]{8}\.Arn>\/(journeys\/\*|datasets\/\*\/(report\.json|rejects\.csv))$/g");

    /// <summary>Accepts object wildcards under named prefixes of the artifacts bucket (models/*, trained/*, web/data-protection/*).</summary>
    public static void AcceptArtifactsPrefixGrants(IRole role, string reason) =>
        Accept(PolicyOf(role), "AwsSolutions-IAM5", reason, @"/^Resource::<BucketsArtifacts[0-9A-F]{8}\.Arn>\/(models|trained|web\/data-protection)\/\*$/g");

    /// <summary>Accepts ecr:GetAuthorizationToken on * in a task's execution role (the action has no resource-level permission).</summary>
    public static void AcceptImagePull(IRole executionRole) =>
        Accept(PolicyOf(executionRole), "AwsSolutions-IAM5", "ecr:GetAuthorizationToken, which pulls the image, supports no resource-level permission: AWS requires *.", "Resource::*");

    /// <summary>The policy CDK's grants write into (a role's DefaultPolicy).</summary>
    public static IConstruct PolicyOf(IRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return role.Node.TryFindChild("DefaultPolicy") ?? throw new ArgumentException($"{role.Node.Path} has no policy.", nameof(role));
    }

    private static Dictionary<string, object> NagSuppression(string rule, string reason, string[] appliesTo)
    {
        var suppression = new Dictionary<string, object> { ["id"] = rule, ["reason"] = reason };
        if (appliesTo.Length > 0)
        {
            suppression["applies_to"] = appliesTo
                .Select(a => a.StartsWith('/') ? new Dictionary<string, object> { ["regex"] = a } : (object)a)
                .ToArray();
        }

        return suppression;
    }

    private sealed class Accepted
    {
        public List<Dictionary<string, object>> Nag { get; } = [];

        public SortedDictionary<string, string> Guard { get; } = new(StringComparer.Ordinal);
    }
}
