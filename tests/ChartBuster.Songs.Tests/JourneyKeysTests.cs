using ChartBuster.Songs.Journeys;

namespace ChartBuster.Songs.Tests;

public sealed class JourneyKeysTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Index_entries_sort_newest_first_in_s3s_lexical_order()
    {
        var older = JourneyKeys.IndexEntry("b-old", Noon);
        var newer = JourneyKeys.IndexEntry("a-new", Noon.AddMilliseconds(1));
        var newest = JourneyKeys.IndexEntry("c-newest", Noon.AddYears(30));

        Assert.Equal([newest, newer, older], new[] { older, newest, newer }.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_index_entry_gives_back_its_dataset_time_and_cursor()
    {
        var key = JourneyKeys.IndexEntry("songs-0123456789abcdef", Noon);

        Assert.True(JourneyKeys.TryParseIndexEntry(key, out var id, out var at, out var cursor));
        Assert.Equal(("songs-0123456789abcdef", Noon), (id, at));
        Assert.Equal(key, JourneyKeys.IndexStartAfter(cursor));
        Assert.True(JourneyKeys.IsCursor(cursor));
    }

    [Fact]
    public void Record_keys_of_different_stages_and_attempts_never_collide()
    {
        string[] names =
        [
            JourneyStages.Received, JourneyStages.Prepared, JourneyStages.Refused,
            JourneyKeys.PerAttempt(JourneyStages.TrainingStarted, 1), JourneyKeys.PerAttempt(JourneyStages.TrainingFailed, 1),
            JourneyKeys.PerAttempt(JourneyStages.TrainingStarted, 2), JourneyKeys.PerAttempt(JourneyStages.TrainingFailed, 2),
            JourneyStages.DeadLettered, JourneyStages.Promoted, JourneyStages.GateRejected,
            JourneyKeys.Stamped(JourneyStages.AlreadyTrained, Noon), JourneyKeys.Stamped(JourneyStages.AlreadyTrained, Noon.AddMilliseconds(1)),
        ];

        var keys = names.Select(n => JourneyKeys.Record("ds-1", n)).ToList();

        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, k => Assert.True(JourneyKeys.TryParseRecord(k, out var id, out _) && id == "ds-1", k));
        Assert.Equal("journeys/datasets/ds-1/already-trained-20261123-120000000.json", keys[10]);
    }

    [Theory]
    [InlineData("dataset-of-80s-0123456789abcdef", true)]
    [InlineData("poison-0001", true)]
    [InlineData("", false)]
    [InlineData("../models", false)]
    [InlineData("a/b", false)]
    [InlineData("UPPER", false)]
    [InlineData("-leading", false)]
    [InlineData("with.dot", false)]
    [InlineData("with%2fslash", false)]
    [InlineData("new\nline", false)]
    public void Dataset_ids_from_outside_are_letters_digits_and_hyphens_only(string id, bool valid) =>
        Assert.Equal(valid, JourneyKeys.IsDatasetId(id));

    [Theory]
    [InlineData("0000000000000000001-ds", true)]
    [InlineData("000000000000000001-ds", false)]
    [InlineData("0000000000000000001-../x", false)]
    [InlineData("0000000000000000001-", false)]
    [InlineData("abc", false)]
    public void Cursors_are_an_inverted_time_and_a_dataset_id(string cursor, bool valid) =>
        Assert.Equal(valid, JourneyKeys.IsCursor(cursor));

    [Theory]
    [InlineData("datasets/abc-123/ready.csv", "abc-123")]
    [InlineData("datasets/abc/cleaned.csv", null)]
    [InlineData("other/abc/ready.csv", null)]
    [InlineData("datasets//ready.csv", null)]
    public void Finds_the_dataset_id_in_a_ready_key(string key, string? expected) =>
        Assert.Equal(expected, JourneyKeys.DatasetIdOfReadyFile(key));

    [Fact]
    public async Task A_record_that_cannot_be_written_is_reported_and_not_thrown()
    {
        var failures = new List<string>();
        var recorder = new JourneyRecorder((_, _, _) => throw new IOException("disk on fire"), (key, e) => failures.Add($"{key}: {e.Message}"));

        var written = await recorder.WriteAsync(JourneyRecords.AlreadyTrained("ds-1", Noon), CancellationToken.None);

        Assert.False(written);
        Assert.Equal(["journeys/datasets/ds-1/already-trained-20261123-120000000.json: disk on fire"], failures);
    }

    [Fact]
    public async Task Cancellation_is_not_mistaken_for_a_failed_record()
    {
        var recorder = new JourneyRecorder((_, _, token) => Task.FromCanceled(token), (_, _) => Assert.Fail("not a failure"));
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recorder.WriteAsync(JourneyRecords.AlreadyTrained("ds-1", Noon), cancel.Token));
    }

    [Fact]
    public void Notifications_match_only_their_outcome_records_and_link_to_the_dataset()
    {
        var key = JourneyKeys.Record("no-energy-01", JourneyStages.Refused);

        Assert.Same(JourneyNotifications.Refused, JourneyNotifications.For(key));
        Assert.Null(JourneyNotifications.For(JourneyKeys.Record("no-energy-01", JourneyStages.Received)));
        Assert.Equal("journeys/datasets/*/refused.json", JourneyNotifications.Refused.KeyPattern);
        Assert.Equal(
            "ChartBuster: a song file was refused and will not train. Record journeys/datasets/no-energy-01/refused.json at 2026-11-23T12:00:00Z. Details: http://site/journeys/datasets/no-energy-01/refused.json",
            JourneyNotifications.Refused.Sentence(key, "2026-11-23T12:00:00Z", "http://site/"));
    }

    [Theory]
    [InlineData(typeof(OutOfMemoryException), "out of memory")]
    [InlineData(typeof(InsufficientMemoryException), "out of memory")]
    [InlineData(typeof(TimeoutException), "timed out")]
    public void Errors_are_told_in_plain_words(Type type, string words) =>
        Assert.Equal(words, JourneyErrors.PlainWords((Exception)Activator.CreateInstance(type)!));
}
