using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ChartBuster.Songs.Journeys;
using ChartBuster.Web.Datasets;
using ChartBuster.Model.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace ChartBuster.Web.Tests;

/// <summary>The catalog at the S3 seam, where the emulator cannot behave like AWS: IAM answers.</summary>
public sealed class DatasetCatalogTests
{
    private const string Bucket = "ready";
    private static readonly DateTimeOffset T = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly Mock<IAmazonS3> _s3 = new(MockBehavior.Strict);

    private DatasetCatalog Catalog()
    {
        return new DatasetCatalog(new Lazy<IAmazonS3>(_s3.Object), Options.Create(new DatasetsOptions { ReadyBucket = Bucket, CacheSeconds = 0 }), new CurrentModel(), NullLogger<DatasetCatalog>.Instance);
    }

    private static AmazonS3Exception Denied() => new("Access Denied", ErrorType.Sender, "AccessDenied", "r", HttpStatusCode.Forbidden);

    private void Listing(string prefix, params string[] keys) =>
        _s3.Setup(s => s.ListObjectsV2Async(It.Is<ListObjectsV2Request>(r => r.Prefix == prefix), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ListObjectsV2Response { S3Objects = [.. keys.Select(k => new S3Object { Key = k })], IsTruncated = false });

    [Fact]
    public async Task A_dataset_still_being_prepared_is_listed_although_s3_denies_its_missing_report()
    {
        // The site may list journeys/ only, so S3 answers the not-yet-written report.json with 403 instead of 404.
        var received = JourneyRecords.Received("ds-1", new UploadFacts("raw", "a.csv", "a.csv", 10, "e", T), T);
        Listing(JourneyKeys.IndexPrefix, JourneyKeys.IndexEntry("ds-1", T));
        Listing(JourneyKeys.RecordsPrefix("ds-1"), JourneyKeys.Record("ds-1", JourneyStages.Received));
        _s3.Setup(s => s.GetObjectAsync(Bucket, JourneyKeys.Record("ds-1", JourneyStages.Received), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new GetObjectResponse { ResponseStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(received, JourneyJsonContext.Default.JourneyRecord)) });
        _s3.Setup(s => s.GetObjectAsync(Bucket, "datasets/ds-1/report.json", It.IsAny<CancellationToken>())).ThrowsAsync(Denied());
        using var catalog = Catalog();

        var page = await catalog.PageAsync(null, 20, CancellationToken.None);

        var dataset = Assert.Single(page.Datasets);
        Assert.Equal((DatasetState.Received, "a.csv"), (dataset.State, dataset.FileName));
    }

    [Fact]
    public async Task A_journey_prefix_s3_refuses_to_list_is_an_error_not_an_empty_page()
    {
        _s3.Setup(s => s.ListObjectsV2Async(It.IsAny<ListObjectsV2Request>(), It.IsAny<CancellationToken>())).ThrowsAsync(Denied());
        using var catalog = Catalog();

        await Assert.ThrowsAsync<AmazonS3Exception>(() => catalog.PageAsync(null, 20, CancellationToken.None));
    }

    [Fact]
    public async Task Asks_s3_for_one_page_of_the_index_after_the_cursor()
    {
        var cursor = JourneyKeys.Cursor("ds-9", T);
        ListObjectsV2Request? asked = null;
        _s3.Setup(s => s.ListObjectsV2Async(It.IsAny<ListObjectsV2Request>(), It.IsAny<CancellationToken>()))
            .Callback((ListObjectsV2Request r, CancellationToken _) => asked = r)
            .ReturnsAsync(new ListObjectsV2Response { S3Objects = [], IsTruncated = false });
        using var catalog = Catalog();

        var page = await catalog.PageAsync(cursor, 7, CancellationToken.None);

        Assert.Empty(page.Datasets);
        Assert.Equal((Bucket, "journeys/index/", JourneyKeys.IndexEntry("ds-9", T), 7), (asked!.BucketName, asked.Prefix, asked.StartAfter, asked.MaxKeys));
    }
}
