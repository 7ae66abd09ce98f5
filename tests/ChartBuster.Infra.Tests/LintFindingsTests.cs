using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.AWS.SQS;

namespace ChartBuster.Infra.Tests;

public sealed class LintFindingsTests
{
    private static (Stack Stack, Queue Queue) QueueInAStack()
    {
        var stack = new Stack(new App(), "Test");
        return (stack, new Queue(stack, "Queue"));
    }

    private static JsonElement Metadata(Stack stack) =>
        JsonDocument.Parse(JsonSerializer.Serialize(Amazon.CDK.Assertions.Template.FromStack(stack).FindResources("AWS::SQS::Queue"))).RootElement
            .EnumerateObject().Single().Value.GetProperty("Metadata");

    [Fact]
    public void Several_acceptances_on_one_resource_are_all_written_with_their_reasons()
    {
        var (stack, queue) = QueueInAStack();

        LintFindings.Accept(queue, "AwsSolutions-SQS3", "It is a dead-letter queue itself.");
        LintFindings.Accept(queue, "AwsSolutions-SQS4", "Another reason, long enough.", "Action::sqs:*");
        LintFindings.Accept(queue, "sqs_dlq_check", "It is a dead-letter queue itself.");

        var metadata = Metadata(stack);
        var nag = metadata.GetProperty("cdk_nag").GetProperty("rules_to_suppress").EnumerateArray().ToList();
        Assert.Equal(["AwsSolutions-SQS3", "AwsSolutions-SQS4"], nag.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal("Action::sqs:*", nag[1].GetProperty("applies_to")[0].GetString());
        Assert.Equal("sqs_dlq_check", metadata.GetProperty("guard").GetProperty("SuppressedRules")[0].GetString());
        Assert.Equal("It is a dead-letter queue itself.", metadata.GetProperty("guard").GetProperty("Reasons").GetProperty("sqs_dlq_check").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("because")]
    public void Refuses_an_acceptance_without_a_real_reason(string reason)
    {
        var (_, queue) = QueueInAStack();

        Assert.Throws<ArgumentException>(() => LintFindings.Accept(queue, "AwsSolutions-SQS3", reason));
    }
}
