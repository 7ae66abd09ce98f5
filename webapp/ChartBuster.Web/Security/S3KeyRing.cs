using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace ChartBuster.Web.Security;

/// <summary>Where the web tasks keep the data-protection key ring they share (section "DataProtection").</summary>
public sealed class KeyRingOptions
{
    /// <summary>Prefix in the artifacts bucket; the CDK app lets only the web tasks read and write it.</summary>
    public string KeyPrefix { get; set; } = "web/data-protection/";
}

/// <summary>
/// The data-protection key ring (what antiforgery tokens and cookies are encrypted with) as one object per key under a
/// prefix of the artifacts bucket, so every web task behind the load balancer can read what another wrote: a form
/// rendered by one task posts to any other. The bucket encrypts at rest (SSE-S3) and enforces TLS; the template grants
/// the prefix to the web role alone. Keys are written once and never changed (ASP.NET rotates by adding keys).
/// </summary>
public sealed partial class S3XmlRepository(IAmazonS3 s3, string bucket, string prefix, ILogger<S3XmlRepository> logger) : IXmlRepository
{
    // IXmlRepository is synchronous; ASP.NET calls it at start and when the ring is refreshed (about daily, or
    // when a payload names a key it has not seen), so blocking on S3 there is rare and short.
    public IReadOnlyCollection<XElement> GetAllElements() => GetAllElementsAsync().GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var key = $"{prefix}{friendlyName}.xml";
        s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = element.ToString(SaveOptions.DisableFormatting), ContentType = "application/xml" })
            .GetAwaiter().GetResult();
        LogStored(key);
    }

    private async Task<IReadOnlyCollection<XElement>> GetAllElementsAsync()
    {
        var elements = new List<XElement>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token });
            foreach (var item in (page.S3Objects ?? []).Where(o => o.Key.EndsWith(".xml", StringComparison.Ordinal)))
            {
                using var response = await s3.GetObjectAsync(bucket, item.Key);
                elements.Add(await XElement.LoadAsync(response.ResponseStream, LoadOptions.None, CancellationToken.None));
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        return elements;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "stored a new data-protection key at {Key}")]
    private partial void LogStored(string key);
}

public static class KeyRingServices
{
    /// <summary>
    /// One application name for every task (the default derives it from the content root), and with an artifacts bucket
    /// the key ring in it; without one (a single local process) ASP.NET's default key store.
    /// </summary>
    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services, string? artifactsBucket)
    {
        services.AddOptions<KeyRingOptions>().BindConfiguration("DataProtection");
        services.AddDataProtection().SetApplicationName("ChartBuster");
        if (!string.IsNullOrWhiteSpace(artifactsBucket))
        {
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
                o.XmlRepository = new S3XmlRepository(
                    sp.GetRequiredService<IAmazonS3>(),
                    artifactsBucket,
                    sp.GetRequiredService<IOptions<KeyRingOptions>>().Value.KeyPrefix,
                    sp.GetRequiredService<ILogger<S3XmlRepository>>())));
        }

        return services;
    }
}
