using Amazon.CDK;
using Constructs;

namespace ChartBuster.Infra;

/// <summary>The linter findings on resources CDK adds by itself (its deploy-time handlers), which this app does not write.</summary>
public static class CdkInternals
{
    public static void AcceptLintFindings(Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        foreach (var handler in stack.Node.Children.Where(c => c.Node.Id.StartsWith("BucketNotificationsHandler", StringComparison.Ordinal)))
        {
            Handler(handler, "CDK's bucket-notification handler (it configures the raw and ready buckets' notifications at deploy)");
        }

        foreach (var provider in stack.Node.Children.Where(c => c.Node.Id.StartsWith("Custom::S3AutoDeleteObjects", StringComparison.Ordinal)))
        {
            Handler(provider, "CDK's auto-delete handler (removalPolicy=destroy only: it empties the buckets when the stack is deleted)");
        }
    }

    private static void Handler(IConstruct handler, string what)
    {
        foreach (var resource in handler.Node.FindAll().OfType<CfnResource>())
        {
            switch (resource.CfnResourceType)
            {
                case "AWS::Lambda::Function":
                    LintFindings.Accept(resource, "AwsSolutions-L1", $"{what}: CDK pins its runtime; it runs only during deployments.");
                    LintFindings.Accept(resource, "lambda_inside_vpc_check", $"{what} calls only S3's API and runs only during deployments.");
                    break;
                case "AWS::IAM::Role":
                    LintFindings.Accept(resource, "AwsSolutions-IAM4", $"{what}: CDK gives it AWSLambdaBasicExecutionRole for its own logs.", "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
                    break;
                case "AWS::IAM::Policy":
                    LintFindings.Accept(resource, "AwsSolutions-IAM5", $"{what}: s3:PutBucketNotification is granted on * by CDK; it only runs during deployments.", "Resource::*");
                    break;
                default:
                    break;
            }
        }
    }
}
