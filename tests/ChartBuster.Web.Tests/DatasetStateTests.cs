using ChartBuster.Songs.Journeys;
using ChartBuster.Web.Datasets;

namespace ChartBuster.Web.Tests;

public sealed class DatasetStateTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly Songs.CleaningReport Ready = new() { RowsRead = 10, RowsKept = 10 };

    private static DatasetState StateOf(params JourneyRecord[] records) => DatasetState.Of(DatasetState.InJourneyOrder(records));

    private static JourneyRecord Received(DateTimeOffset at) => JourneyRecords.Received("ds", new UploadFacts("raw", "a.csv", "a.csv", 1, "e", at), at);

    private static JourneyRecord Prepared(DateTimeOffset at) => JourneyRecords.Prepared("ds", Ready, at);

    [Fact]
    public void A_worker_clock_behind_the_function_clock_cannot_send_a_dataset_back_to_queued()
    {
        // The worker wrote "training started" with a time 2 s before the function's "prepared".
        var state = StateOf(Received(T), Prepared(T.AddSeconds(5)), JourneyRecords.TrainingStarted("ds", 1, 3, T.AddSeconds(3)));

        Assert.Equal(DatasetState.Training(1, 3), state);
    }

    [Fact]
    public void A_failed_attempt_before_the_last_is_retrying_and_the_last_is_dead_lettered_even_without_its_record()
    {
        var first = JourneyRecords.TrainingFailed("ds", 1, 3, "out of memory", "x", T.AddSeconds(9));
        var last = JourneyRecords.TrainingFailed("ds", 3, 3, "out of memory", "x", T.AddSeconds(30));

        Assert.Equal("retrying", StateOf(Received(T), Prepared(T), JourneyRecords.TrainingStarted("ds", 1, 3, T), first).Code);
        Assert.Equal("attempt 1 of 3 failed, retrying", StateOf(Received(T), first).Words);
        Assert.Equal(DatasetState.DeadLettered, StateOf(Received(T), first, last));
    }

    [Fact]
    public void The_outcome_wins_over_the_attempts_and_a_later_repeat_request()
    {
        var facts = new ModelOutcomeFacts("v1", false, 0.7, "v0", 0.8, "worse", "rule", 0.8, 0.005, 10, 2, new Dictionary<string, double>());

        var state = StateOf(
            JourneyRecords.AlreadyTrained("ds", T.AddHours(1)), JourneyRecords.ModelOutcome("ds", facts, T.AddMinutes(2)),
            JourneyRecords.TrainingStarted("ds", 1, 3, T.AddMinutes(1)), Received(T), Prepared(T));

        Assert.Equal(DatasetState.GateRejected, state);
    }

    [Fact]
    public void A_dataset_refused_as_too_large_to_train_reads_so_after_its_attempt_and_is_coloured_bad()
    {
        var refused = JourneyRecords.TrainingRefused("ds", "the dataset has 7,000,000 rows, more than the 3,145,728 …", T.AddSeconds(2));

        var ordered = DatasetState.InJourneyOrder([refused, JourneyRecords.TrainingStarted("ds", 1, 3, T.AddSeconds(5)), Received(T), Prepared(T)]);

        Assert.Equal(DatasetState.TooLargeToTrain, DatasetState.Of(ordered));
        Assert.Same(refused, ordered[^1]);
        Assert.Equal("bad", DatasetState.ToneOf(refused));
        Assert.StartsWith("not trained: the dataset has 7,000,000 rows", refused.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeat_request_for_a_dataset_trained_before_journeys_existed_reads_already_trained()
    {
        Assert.Equal(DatasetState.AlreadyTrained, StateOf(Received(T), Prepared(T), JourneyRecords.AlreadyTrained("ds", T.AddMinutes(1))));
        Assert.Equal(DatasetState.Queued, StateOf(Received(T), Prepared(T)));
        Assert.Equal(DatasetState.Received, StateOf(Received(T)));
    }
}
