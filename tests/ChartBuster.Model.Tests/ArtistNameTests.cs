namespace ChartBuster.Model.Tests;

public class ArtistNameTests
{
    [Theory]
    [InlineData("Drake Featuring Rihanna", "drake")]
    [InlineData("Lil' Kim Feat. 50 Cent", "lil kim")]
    [InlineData("Lil Kim feat 50 Cent", "lil kim")]
    [InlineData("Jay-Z ft. Alicia Keys", "jayz")]
    [InlineData("Santana (Feat. Rob Thomas)", "santana")]
    [InlineData("Santana [ft Rob Thomas]", "santana")]
    public void Cuts_guest_credits_off_the_lead_artist(string credited, string key) =>
        Assert.Equal(key, ArtistName.Normalise(credited));

    [Theory]
    [InlineData("Beyoncé", "BEYONCE")]
    [InlineData("Mötley Crüe", "Motley Crue")]
    [InlineData("Sigur Rós", "SIGUR ROS")]
    [InlineData("Ørjan Nilsen", "Orjan Nilsen")]
    [InlineData("The Black Eyed Peas", "Black Eyed Peas")]
    [InlineData("Earth, Wind & Fire", "Earth Wind And Fire")]
    [InlineData("Lil' Kim", "lil kim")]
    [InlineData("  Bob   Seger ", "Bob Seger")]
    public void Folds_case_accents_punctuation_spacing_and_a_leading_the(string one, string other) =>
        Assert.Equal(ArtistName.Normalise(one), ArtistName.Normalise(other));

    [Theory]
    [InlineData("Simon & Garfunkel", "Paul Simon")]
    [InlineData("The Weeknd", "Weekend")]
    public void Keeps_different_artists_apart(string one, string other) =>
        Assert.NotEqual(ArtistName.Normalise(one), ArtistName.Normalise(other));

    [Theory]
    [InlineData("Simon & Garfunkel", "simon and garfunkel")]
    [InlineData("The The", "the")]
    [InlineData("Featherweight Feat. Someone", "featherweight")]
    public void Keeps_duos_whole_and_words_that_only_start_like_a_credit(string credited, string key) =>
        Assert.Equal(key, ArtistName.Normalise(credited));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("!!!")]
    public void A_blank_or_punctuation_only_name_has_no_key(string? credited) =>
        Assert.Equal("", ArtistName.Normalise(credited));
}
