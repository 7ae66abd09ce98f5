namespace ChartBuster.Songs.Journeys;

/// <summary>A stage that reaches a person: its record's key pattern and the headline of its message.</summary>
public sealed record JourneyNotification(string Stage, string Headline)
{
    /// <summary>The EventBridge wildcard that matches this stage's records in the ready bucket.</summary>
    public string KeyPattern => $"{JourneyKeys.RecordsRoot}*/{Stage}{JourneyKeys.Extension}";

    /// <summary>
    /// The message: the same words in AWS (an EventBridge input transformer fills in the key and time) and in the local
    /// stack's terminal. The link opens the dataset's page: the site redirects a record's key to it.
    /// </summary>
    public string Sentence(string key, string time, string siteUrl) =>
        $"ChartBuster: {Headline}. Record {key} at {time}. Details: {siteUrl.TrimEnd('/')}/{key}";
}

/// <summary>The outcomes that notify: a file refused, a model promoted or rejected by the gate, a dataset dead-lettered.</summary>
public static class JourneyNotifications
{
    public static JourneyNotification Refused { get; } = new(JourneyStages.Refused, "a song file was refused and will not train");

    public static JourneyNotification Promoted { get; } = new(JourneyStages.Promoted, "a new model was promoted and now serves predictions");

    public static JourneyNotification GateRejected { get; } =
        new(JourneyStages.GateRejected, "a trained model was rejected by the quality gate; the serving model stays");

    public static JourneyNotification DeadLettered { get; } =
        new(JourneyStages.DeadLettered, "training failed on every attempt and the request was dead-lettered");

    public static IReadOnlyList<JourneyNotification> All { get; } = [Refused, Promoted, GateRejected, DeadLettered];

    /// <summary>The notification for a record key, if its stage notifies.</summary>
    public static JourneyNotification? For(string key) =>
        JourneyKeys.TryParseRecord(key, out _, out var name) ? All.FirstOrDefault(n => n.Stage == name) : null;
}
