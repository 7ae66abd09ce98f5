using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace ChartBuster.Training.Worker;

/// <summary>
/// ECS task scale-in protection while a message trains. The service scales on *visible* messages, and a message
/// being trained is invisible, so without this the empty-looking queue would scale the task in mid-training.
/// Spoken to the ECS agent endpoint of the task (<c>ECS_AGENT_URI</c>), which needs no AWS SDK; outside ECS
/// (no such variable) it does nothing.
/// </summary>
public sealed partial class ScaleInProtection(HttpClient http, Uri? agentUri, ILogger<ScaleInProtection> logger)
{
    /// <summary>Protection lapses by itself after this long, so a hung worker cannot pin the service at one task forever.</summary>
    public const int ExpiresInMinutes = 180;

    public const string AgentUriVariable = "ECS_AGENT_URI";

    public bool Enabled => agentUri is not null;

    /// <summary>
    /// Turns protection on or off. A failure is logged, not thrown: training without protection is still better
    /// than not training, and the worst case is the task being scaled in and the message retried.
    /// </summary>
    public async Task SetAsync(bool protect, CancellationToken cancellationToken)
    {
        if (agentUri is null)
        {
            return;
        }

        var state = new ProtectionState(protect, protect ? ExpiresInMinutes : null);
        try
        {
            using var response = await http.PutAsJsonAsync(
                new Uri(agentUri.AbsoluteUri.TrimEnd('/') + "/task-protection/v1/state"),
                state,
                ProtectionJsonContext.Default.ProtectionState,
                cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(protect, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
                return;
            }

            LogSet(protect);
        }
        catch (HttpRequestException e)
        {
            LogUnreachable(e, protect);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "scale-in protection {Protect}")]
    private partial void LogSet(bool protect);

    [LoggerMessage(Level = LogLevel.Warning, Message = "scale-in protection {Protect} refused by the ECS agent: {Status} {Body}")]
    private partial void LogRefused(bool protect, int status, string body);

    [LoggerMessage(Level = LogLevel.Warning, Message = "scale-in protection {Protect}: ECS agent unreachable")]
    private partial void LogUnreachable(Exception exception, bool protect);
}

public sealed record ProtectionState(
    [property: JsonPropertyName("ProtectionEnabled")] bool ProtectionEnabled,
    [property: JsonPropertyName("ExpiresInMinutes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ExpiresInMinutes);

[JsonSerializable(typeof(ProtectionState))]
internal sealed partial class ProtectionJsonContext : JsonSerializerContext;
