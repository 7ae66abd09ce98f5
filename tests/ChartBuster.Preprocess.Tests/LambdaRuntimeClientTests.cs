using System.Net;
using System.Text;
using System.Text.Json;
using ChartBuster.Preprocess.Runtime;

namespace ChartBuster.Preprocess.Tests;

public sealed class LambdaRuntimeClientTests : IDisposable
{
    private readonly FakeRuntimeApi _api = new();

    [Fact]
    public async Task Next_invocation_reads_the_payload_and_the_request_id_deadline_arn_and_trace_headers()
    {
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123);
        _api.Enqueue("req-1", "{\"Records\":[]}", deadline, "Root=1-5e1b4151-5ac6c58f");
        var client = new LambdaRuntimeClient(_api.Client());

        var invocation = await client.NextInvocationAsync(CancellationToken.None);

        Assert.Equal("req-1", invocation.RequestId);
        Assert.Equal(deadline, invocation.Deadline);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:preprocess", invocation.FunctionArn);
        Assert.Equal("Root=1-5e1b4151-5ac6c58f", invocation.TraceId);
        Assert.Equal("{\"Records\":[]}", Encoding.UTF8.GetString(invocation.Payload));
    }

    [Fact]
    public async Task Next_invocation_without_a_request_id_is_an_error()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        response.Headers.Add("Lambda-Runtime-Deadline-Ms", "1800000000000");
        _api.EnqueueRaw(response);
        var client = new LambdaRuntimeClient(_api.Client());

        await Assert.ThrowsAsync<InvalidDataException>(() => client.NextInvocationAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_response_is_posted_to_the_invocation_response_path()
    {
        var client = new LambdaRuntimeClient(_api.Client());

        await client.SendResponseAsync("req-7", "{\"ok\":true}"u8.ToArray(), CancellationToken.None);

        var post = Assert.Single(_api.Posts);
        Assert.Equal("/2018-06-01/runtime/invocation/req-7/response", post.Path);
        Assert.Equal("{\"ok\":true}", post.Body);
    }

    [Fact]
    public async Task An_invocation_error_is_posted_with_its_type_header_and_the_error_document()
    {
        var client = new LambdaRuntimeClient(_api.Client());

        await client.SendInvocationErrorAsync("req-8", new LambdaError("bucket gone", "AmazonS3Exception", ["at X", "at Y"]), CancellationToken.None);

        var post = Assert.Single(_api.Posts);
        Assert.Equal("/2018-06-01/runtime/invocation/req-8/error", post.Path);
        Assert.Equal("AmazonS3Exception", post.Headers["Lambda-Runtime-Function-Error-Type"]);
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal("bucket gone", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("AmazonS3Exception", body.RootElement.GetProperty("errorType").GetString());
        Assert.Equal(2, body.RootElement.GetProperty("stackTrace").GetArrayLength());
    }

    [Fact]
    public async Task An_init_error_is_posted_to_the_init_error_path()
    {
        var client = new LambdaRuntimeClient(_api.Client());

        await client.SendInitErrorAsync(LambdaError.From(new InvalidOperationException("CHARTBUSTER_READY_BUCKET is not set")), CancellationToken.None);

        var post = Assert.Single(_api.Posts);
        Assert.Equal("/2018-06-01/runtime/init/error", post.Path);
        Assert.Contains("CHARTBUSTER_READY_BUCKET", post.Body, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _api.Dispose();
    }
}
