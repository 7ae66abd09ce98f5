using System.Text.Encodings.Web;
using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using ChartBuster.Infra.Storage;
using ChartBuster.Songs.Journeys;
using Constructs;

namespace ChartBuster.Infra.Notifications;

/// <summary>
/// ChartBuster's events, to a person: one SNS topic (encrypted with its own KMS key) fed by
/// <list type="bullet">
/// <item>EventBridge rules on the journey records the pipeline writes to the ready bucket (a file refused, a model
/// promoted or rejected by the gate, a dataset dead-lettered), each with an input transformer that writes a sentence;</item>
/// <item>the alarms: the training dead-letter queue and the function's failure destination (its failure queue).</item>
/// </list>
/// <c>-c notifyEmail=ADDRESS</c> subscribes an address. Only EventBridge and CloudWatch (for alarms of this account)
/// may publish, and only they may use the key, over TLS.
/// </summary>
public sealed class PipelineNotifications : Construct
{
    /// <summary>An input template is a JSON string whose &lt;key&gt; and &lt;time&gt; placeholders stay as they are (the default encoder escapes '&lt;').</summary>
    private static readonly JsonSerializerOptions TemplateJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public PipelineNotifications(Construct scope, string id, SongBuckets buckets, IEnumerable<Alarm> alarms, string siteUrl, StackSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(alarms);
        ArgumentNullException.ThrowIfNull(settings);
        var stack = Stack.Of(this);
        var alarmArns = stack.FormatArn(new ArnComponents { Service = "cloudwatch", Resource = "alarm", ResourceName = "*", ArnFormat = ArnFormat.COLON_RESOURCE_NAME });

        Key = new Key(this, "Key", new KeyProps
        {
            Description = "Encrypts ChartBuster's events topic",
            EnableKeyRotation = true,
            RemovalPolicy = settings.DataRemovalPolicy,
        });
        Topic = new Topic(this, "Topic", new TopicProps
        {
            DisplayName = "ChartBuster",
            MasterKey = Key,
            EnforceSSL = true,
        });

        // Grants on this key only for AWS services acting for AWS resources (the Control Tower rule CT.KMS.PR.3):
        // nobody can hand its use to another principal through a grant.
        Key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = ["kms:CreateGrant"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["BoolIfExists"] = new Dictionary<string, object> { ["kms:GrantIsForAWSResource"] = "false", ["aws:PrincipalIsAWSService"] = "false" },
            },
        }));

        // Publishing to an encrypted topic makes the publisher's service use the key; this key serves this topic alone.
        Key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Principals = [new ServicePrincipal("events.amazonaws.com"), new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resources = ["*"],
        }));

        // A topic policy replaces SNS's default one: CloudWatch alarms of this account must be allowed by name.
        Topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [Topic.TopicArn],
            Conditions = SameAccount(stack, alarmArns),
        }));

        foreach (var notification in JourneyNotifications.All)
        {
            Rules.Add(OutcomeRule(buckets, notification, siteUrl));
        }

        // EventBridge may publish from these rules only (CDK's SnsTopic target would allow any rule anywhere).
        Topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Principals = [new ServicePrincipal("events.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [Topic.TopicArn],
            Conditions = new Dictionary<string, object>
            {
                ["ArnEquals"] = new Dictionary<string, object> { ["aws:SourceArn"] = Rules.Select(r => r.RuleArn).ToArray() },
            },
        }));

        foreach (var alarm in alarms)
        {
            alarm.AddAlarmAction(new SnsAction(Topic));
        }

        if (settings.NotifyEmail is { } email)
        {
            Topic.AddSubscription(new EmailSubscription(email));
        }
    }

    public Key Key { get; }

    public Topic Topic { get; }

    public List<Rule> Rules { get; } = [];

    /// <summary>
    /// A rule on one outcome's record keys whose target sends the topic a sentence: the input transformer puts the
    /// record's key (which names the dataset) and the event's time into the same words the local stack prints.
    /// </summary>
    private Rule OutcomeRule(SongBuckets buckets, JourneyNotification notification, string siteUrl)
    {
        var sentence = notification.Sentence("<key>", "<time>", siteUrl);
        var rule = new Rule(this, $"{Pascal(notification.Stage)}Rule", new RuleProps
        {
            Description = $"ChartBuster: {notification.Headline}",
            EventPattern = new EventPattern
            {
                Source = ["aws.s3"],
                DetailType = ["Object Created"],
                Detail = new Dictionary<string, object>
                {
                    ["bucket"] = new Dictionary<string, object> { ["name"] = new[] { buckets.Ready.BucketName } },
                    ["object"] = new Dictionary<string, object>
                    {
                        ["key"] = new object[] { new Dictionary<string, object> { ["wildcard"] = notification.KeyPattern } },
                    },
                },
            },
        });
        ((Amazon.CDK.AWS.Events.CfnRule)rule.Node.DefaultChild!).Targets = new[]
        {
            new Amazon.CDK.AWS.Events.CfnRule.TargetProperty
            {
                Id = "EventsTopic",
                Arn = Topic.TopicArn,
                InputTransformer = new Amazon.CDK.AWS.Events.CfnRule.InputTransformerProperty
                {
                    InputPathsMap = new Dictionary<string, string> { ["key"] = "$.detail.object.key", ["time"] = "$.time" },
                    InputTemplate = JsonSerializer.Serialize(sentence, TemplateJson),
                },
            },
        };
        return rule;
    }

    private static Dictionary<string, object> SameAccount(Stack stack, string sourceArn) => new()
    {
        ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account },
        ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = sourceArn },
    };

    private static string Pascal(string stage) => string.Concat(stage.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
