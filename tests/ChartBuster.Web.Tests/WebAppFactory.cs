using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChartBuster.Web.Tests;

/// <summary>The real app in memory, serving a copy of a model folder that tests may replace.</summary>
public sealed class WebAppFactory : WebApplicationFactory<Program>
{
    private readonly DirectoryInfo _serving = Directory.CreateTempSubdirectory("chartbuster-web-serving-");
    private readonly Dictionary<string, string?> _settings;

    public WebAppFactory(string modelFolder, Dictionary<string, string?>? settings = null)
    {
        ServeFolder(modelFolder);
        _settings = settings ?? [];
    }

    public string ModelPath => Path.Combine(_serving.FullName, "model.zip");

    /// <summary>The app on real Kestrel on a free loopback port (the in-memory server enforces no request body limits).</summary>
    public static WebAppFactory OnKestrel(string modelFolder)
    {
        var app = new WebAppFactory(modelFolder);
        app.UseKestrel(0);
        app.StartServer();
        return app;
    }

    /// <summary>The app as it runs in AWS: following models/current.json in a bucket of the emulator.</summary>
    public static WebAppFactory FollowingRegistry(string modelFolder, EmulatorFixture emulator, string bucket)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return FollowingRegistry(modelFolder, emulator.Environment, bucket);
    }

    /// <summary>Following the registry through another S3 endpoint (a fault-injecting proxy), with extra settings.</summary>
    public static WebAppFactory FollowingRegistry(string modelFolder, IReadOnlyDictionary<string, string> aws, string bucket, Dictionary<string, string?>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(aws);
        var settings = aws.ToDictionary(p => p.Key, p => (string?)p.Value);
        settings["CHARTBUSTER_MODEL_PATH"] = "";
        settings["CHARTBUSTER_ARTIFACTS_BUCKET"] = bucket;
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return new WebAppFactory(modelFolder, settings);
    }

    /// <summary>Puts another model (or anything else) where the app looks for its model.</summary>
    public void ServeFolder(string folder)
    {
        foreach (var file in Directory.GetFiles(folder))
        {
            File.Copy(file, Path.Combine(_serving.FullName, Path.GetFileName(file)), overwrite: true);
        }

        File.SetLastWriteTimeUtc(ModelPath, DateTime.UtcNow.AddSeconds(Random.Shared.Next(1, 1_000_000)));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production"); // as deployed: no developer pages, no rethrown bad requests
        builder.UseSetting("CHARTBUSTER_MODEL_PATH", ModelPath);
        builder.UseSetting("ModelSource:PollSeconds", "3600");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, TestPeerAddress>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _serving.Exists)
        {
            _serving.Delete(recursive: true);
        }
    }
}
