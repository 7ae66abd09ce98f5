namespace ChartBuster.Model.Tests;

public class ModelFeaturesTests
{
    private static readonly ModelFeatures Product = ModelFeatures.AudioAndDecade;

    [Fact]
    public void The_products_features_are_audio_and_decade_only_and_pass_the_guard()
    {
        Product.Guard();

        Assert.Equal(SongModelInput.NumericNames, Product.Numeric);
        Assert.Equal(["Key", "Mode", "TimeSignature", "Decade"], Product.Categorical);
        Assert.Contains("loudness_vs_decade", Product.Derived);
        Assert.Contains("energy_minus_acousticness", Product.Derived);
    }

    [Fact]
    public void Refuses_a_derived_feature_named_after_the_artist()
    {
        var leaky = Product with { Derived = [.. Product.Derived, "artist_mean_loudness"] };

        var refused = Assert.Throws<ArgumentException>(leaky.Guard);

        Assert.Contains("'artist_mean_loudness'", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("artist_hit_rate", "artist")]
    [InlineData("ArtistHitRate", "artist")]
    [InlineData("songs_by_same_artist", "artist")]
    [InlineData("track_name_length", "track")]
    [InlineData("TrackTitleWords", "track")]
    [InlineData("uri_hash", "uri")]
    [InlineData("title_sentiment", "title")]
    public void Refuses_a_numeric_feature_derived_from_the_songs_identity(string feature, string word)
    {
        var leaky = Product with { Numeric = [.. Product.Numeric, feature] };

        var refused = Assert.Throws<ArgumentException>(leaky.Guard);

        Assert.Contains($"'{feature}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"({word})", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Artist")]
    [InlineData("Uri")]
    [InlineData("Track")]
    public void Refuses_an_identity_column_as_a_categorical_input(string column)
    {
        var leaky = Product with { Categorical = [.. Product.Categorical, column] };

        Assert.Throws<ArgumentException>(leaky.Guard);
    }

    [Fact]
    public void Refuses_a_numeric_slot_the_model_input_does_not_have()
    {
        var unknown = Product with { Numeric = [.. Product.Numeric, "popularity"] };

        var refused = Assert.Throws<ArgumentException>(unknown.Guard);

        Assert.Contains("'popularity' is not a slot", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Words_that_merely_contain_an_identity_word_pass()
    {
        // "during" holds "uri", "soundtrack" holds "track": only whole words (and "artist" anywhere) count.
        var fine = Product with { Categorical = ["Key", "Mode", "TimeSignature", "Decade", "DuringChorus", "soundtrackiness"] };

        fine.Guard();
    }

    [Fact]
    public void The_model_input_itself_carries_no_identity_column()
    {
        var columns = typeof(SongModelInput).GetProperties().Select(p => p.Name).ToList();

        (Product with { Categorical = columns }).Guard();
    }

    [Fact]
    public void The_trainer_refuses_artist_derived_features_before_training_anything()
    {
        var rows = Enumerable.Range(0, 50).Select(i => new TrainingRow($"spotify:track:{i}", $"Artist {i}", new SongModelInput { Label = i % 2 == 0 })).ToList();
        var options = new TrainingOptions { Candidates = ModelCandidate.Quick, Features = Product with { Categorical = [.. Product.Categorical, "Artist"] } };

        var refused = Assert.Throws<ArgumentException>(() => new ModelTrainer(options).Train(rows));

        Assert.Contains("'Artist' is derived from the song's identity (artist)", refused.Message, StringComparison.Ordinal);
    }
}
