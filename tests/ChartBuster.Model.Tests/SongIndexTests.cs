using ChartBuster.Model.Reference;
using ChartBuster.Songs;

namespace ChartBuster.Model.Tests;

public sealed class SongIndexTests(ReferencedModel fixture) : IClassFixture<ReferencedModel>
{
    private SongIndex Index => fixture.Reference.Songs;

    [Fact]
    public void Holds_every_training_song_with_its_title_artist_and_real_inputs()
    {
        var row = fixture.Rows.First(r => r.Track == "Rolling In The Deep" && r.Artist == "Adele");
        var song = Index.Search("rolling in the deep adele", 5)[0];

        Assert.Equal(fixture.Rows.Count, Index.Count);
        Assert.Equal("Adele", song.Artist);
        Assert.Equal(2010, song.Decade);
        Assert.True(song.Charted);
        Assert.Equal(row.Input.Numeric.Take(15).Select(SongIndex.Exact), song.Inputs);
        var again = SongModelInput.FromSong(song.ToSong()).Numeric;
        Assert.All(Enumerable.Range(0, again.Length), i => Assert.True(row.Input.Numeric[i] == again[i], $"{SongModelInput.NumericNames[i]}: {row.Input.Numeric[i]} then {again[i]}"));
    }

    [Fact]
    public void Finds_songs_by_words_of_the_title_or_artist_titles_first_and_hits_first()
    {
        var found = Index.Search("ADELE", 10);

        Assert.NotEmpty(found);
        Assert.All(found, s => Assert.Contains("adele", (s.Title + " " + s.Artist).ToLowerInvariant(), StringComparison.Ordinal));
        Assert.Equal(found.OrderBy(s => s.Charted ? 0 : 1), found);
        Assert.Empty(Index.Search("   ", 10));
        Assert.Empty(Index.Search("zzzz no such song qqqq", 10));
    }

    [Fact]
    public void Ids_are_stable_and_find_the_song()
    {
        var song = Index.Songs[123];

        Assert.Same(song, Index.Find(song.Id));
        Assert.Equal(song.Id, SongIndex.IdOf(fixture.Rows.First(r => r.Track == song.Title && r.Artist == song.Artist && r.Input.Decade == song.Decade.ToString(System.Globalization.CultureInfo.InvariantCulture)).Uri, song.Decade.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Null(Index.Find("no-such-id"));
    }

    [Fact]
    public void The_closest_hits_of_a_real_hit_start_with_itself_and_stay_in_its_decade()
    {
        var hit = Index.Songs.First(s => s.Charted && s.Decade == 2000);

        var closest = Index.ClosestHits(hit.ToSong(), 2000, 3);

        Assert.Equal(3, closest.Count);
        Assert.Equal(hit.Id, closest[0].Song.Id);
        Assert.Equal(0, closest[0].Distance);
        Assert.All(closest, c => Assert.True(c.Song.Charted && c.Song.Decade == 2000));
        Assert.True(closest[1].Distance <= closest[2].Distance);
    }

    [Fact]
    public void Reads_back_what_it_wrote()
    {
        using var buffer = new MemoryStream();
        Index.Write(buffer);

        var back = SongIndex.Read(new MemoryStream(buffer.ToArray()));

        Assert.Equal(Index.Songs, back.Songs, new IndexedSongComparer());
    }

    private sealed class IndexedSongComparer : IEqualityComparer<IndexedSong>
    {
        public bool Equals(IndexedSong? x, IndexedSong? y) =>
            x!.Id == y!.Id && x.Title == y.Title && x.Artist == y.Artist && x.Decade == y.Decade && x.Charted == y.Charted && x.Inputs.SequenceEqual(y.Inputs);

        public int GetHashCode(IndexedSong obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
