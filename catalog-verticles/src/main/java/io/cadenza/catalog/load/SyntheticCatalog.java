package io.cadenza.catalog.load;

import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import net.datafaker.Faker;

/**
 * A synthetic catalog of a given number of tracks, the same for the same seed (and datafaker
 * version): names made of datafaker's words, people's names, colours and cities; genres from its
 * music list; release dates from 1960 to {@link #LAST_RELEASE}; ISRCs in the real format; a
 * Zipf-like popularity.
 *
 * <ul>
 *   <li>Artist: a person's name or a band name; 1–2 genres; popularity drawn with P(p) ∝ 1/(p+1)
 *       for p in 0..100 (most artists obscure, a few famous: mean about 18).
 *   <li>Albums per artist: 1 + a geometric count (mean 3); 60 % albums of 7–16 tracks (some on two
 *       discs), 30 % singles of 1–3, 10 % compilations of 12–20. Released one to three years apart
 *       from a career start in 1960–2024, by day (older ones sometimes by year only); popularity
 *       the artist's ± a few points.
 *   <li>Tracks: 30 s to 20 min around 3.5 min (log-normal), 12 % explicit, the artist's main genre,
 *       popularity the album's ± a few points, ISRC {@code CC RRR YY NNNNN} with the artist's
 *       registrant code and the release year.
 * </ul>
 *
 * Ids are {@code Base62Id.named("synthetic:<seed>:<type>:<n>")}, so a second run with the same seed
 * writes the same rows.
 */
public final class SyntheticCatalog {

  /** The latest release date the generator gives. */
  public static final LocalDate LAST_RELEASE = LocalDate.of(2026, 10, 31);

  private static final String[] COUNTRIES = {
    "US", "US", "US", "GB", "GB", "DE", "FR", "SE", "NL", "JP", "CA", "AU", "BR", "ES", "IT", "KR"
  };
  private static final double[] POPULARITY_CDF = zipfCdf();

  private final long seed;
  private final int trackCount;

  public SyntheticCatalog(long seed, int trackCount) {
    if (trackCount < 1 || trackCount > 100_000_000) {
      throw new ValidationException("the synthetic catalog has 1 to 100000000 tracks");
    }
    this.seed = seed;
    this.trackCount = trackCount;
  }

  public int trackCount() {
    return trackCount;
  }

  /** Generates the catalog into the sink, one artist with its albums and tracks at a time. */
  public void writeTo(CatalogSink sink) {
    Random random = new Random(seed);
    Faker faker = new Faker(Locale.ENGLISH, new Random(seed ^ 0x5DEECE66DL));
    int tracks = 0;
    int albums = 0;
    for (int artistNo = 0; tracks < trackCount; artistNo++) {
      String artistId = id("artist", artistNo);
      int artistPopularity = zipfPopularity(random);
      List<String> genres = genres(faker, random);
      sink.artist(
          new Artist(artistId, artistName(faker, random), genres, artistPopularity, List.of()));
      String registrant = registrant(random);
      String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
      int albumCount = 1 + geometric(random, 1.0 / 3.0);
      LocalDate release =
          LocalDate.of(1960 + random.nextInt(65), 1, 1).plusDays(random.nextInt(365));
      for (int a = 0; a < albumCount && tracks < trackCount; a++) {
        if (release.isAfter(LAST_RELEASE)) {
          release = LAST_RELEASE.minusDays(random.nextInt(60));
        }
        String albumId = id("album", albums++);
        double kind = random.nextDouble();
        String type = kind < 0.6 ? "album" : kind < 0.9 ? "single" : "compilation";
        int size =
            switch (type) {
              case "album" -> 7 + random.nextInt(10);
              case "single" -> 1 + random.nextInt(3);
              default -> 12 + random.nextInt(9);
            };
        size = Math.min(size, trackCount - tracks);
        int discs = size >= 12 && random.nextDouble() < 0.15 ? 2 : 1;
        boolean yearOnly = release.getYear() < 1975 && random.nextDouble() < 0.4;
        int albumPopularity = clamp(artistPopularity + random.nextInt(11) - 5);
        String albumName = type.equals("single") ? null : albumName(faker, random);
        List<Track> albumTracks = new ArrayList<>(size);
        int perDisc = (size + discs - 1) / discs;
        for (int t = 0; t < size; t++) {
          String name = trackName(faker, random);
          if (albumName == null) {
            albumName = name;
          }
          albumTracks.add(
              new Track(
                  id("track", tracks + t),
                  name,
                  albumId,
                  List.of(artistId),
                  1 + t / perDisc,
                  1 + t % perDisc,
                  duration(random),
                  random.nextDouble() < 0.12,
                  country
                      + registrant
                      + String.format(
                          Locale.ROOT, "%02d%05d", release.getYear() % 100, (tracks + t) % 100_000),
                  List.of(genres.get(0)),
                  clamp(albumPopularity + random.nextInt(15) - 7)));
        }
        tracks += size;
        sink.album(
            new Album(
                albumId,
                albumName,
                type,
                List.of(artistId),
                yearOnly ? String.valueOf(release.getYear()) : release.toString(),
                yearOnly ? "year" : "day",
                size,
                List.of(genres.get(0)),
                albumPopularity,
                List.of()));
        albumTracks.forEach(sink::track);
        release = release.plusDays(365 + random.nextInt(730));
      }
    }
  }

  private String id(String type, int n) {
    return Base62Id.named("synthetic:" + seed + ":" + type + ":" + n);
  }

  /** A popularity with P(p) ∝ 1/(p+1), p in 0..100. */
  static int zipfPopularity(Random random) {
    double u = random.nextDouble();
    for (int p = 0; p < POPULARITY_CDF.length; p++) {
      if (u < POPULARITY_CDF[p]) {
        return p;
      }
    }
    return 100;
  }

  private static double[] zipfCdf() {
    double[] cdf = new double[101];
    double sum = 0;
    for (int p = 0; p <= 100; p++) {
      sum += 1.0 / (p + 1);
      cdf[p] = sum;
    }
    for (int p = 0; p <= 100; p++) {
      cdf[p] /= sum;
    }
    return cdf;
  }

  private static int clamp(int popularity) {
    return Math.max(0, Math.min(100, popularity));
  }

  private static int geometric(Random random, double p) {
    int n = 0;
    while (random.nextDouble() > p && n < 30) {
      n++;
    }
    return n;
  }

  /** Log-normal around 3.5 min, within 30 s and 20 min. */
  private static int duration(Random random) {
    double ms = Math.exp(Math.log(210_000) + 0.35 * random.nextGaussian());
    return (int) Math.max(30_000, Math.min(1_200_000, ms));
  }

  private static String registrant(Random random) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder code = new StringBuilder(3);
    code.append(alphabet.charAt(random.nextInt(26)));
    for (int i = 0; i < 2; i++) {
      code.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return code.toString();
  }

  private static List<String> genres(Faker faker, Random random) {
    Set<String> genres = new LinkedHashSet<>();
    genres.add(faker.music().genre());
    if (random.nextDouble() < 0.4) {
      genres.add(faker.music().genre());
    }
    return List.copyOf(genres);
  }

  private static String artistName(Faker faker, Random random) {
    double style = random.nextDouble();
    if (style < 0.40) {
      return faker.name().firstName() + " " + faker.name().lastName();
    } else if (style < 0.65) {
      return "The " + title(faker.word().adjective()) + " " + plural(title(faker.word().noun()));
    } else if (style < 0.80) {
      return title(faker.color().name()) + " " + title(faker.word().noun());
    } else if (style < 0.90) {
      return faker.name().firstName() + " & the " + plural(title(faker.word().noun()));
    } else {
      return title(faker.hipster().word());
    }
  }

  private static String albumName(Faker faker, Random random) {
    double style = random.nextDouble();
    if (style < 0.35) {
      return title(faker.word().adjective()) + " " + title(faker.word().noun());
    } else if (style < 0.55) {
      return title(faker.word().noun()) + " of " + title(faker.word().noun());
    } else if (style < 0.70) {
      return "Songs from " + faker.address().cityName();
    } else if (style < 0.80) {
      return "Live in " + faker.address().cityName();
    } else if (style < 0.90) {
      return title(faker.color().name()) + " " + plural(title(faker.word().noun()));
    } else {
      return title(faker.hipster().word());
    }
  }

  private static String trackName(Faker faker, Random random) {
    double style = random.nextDouble();
    String name;
    if (style < 0.30) {
      name = title(faker.word().adjective()) + " " + title(faker.word().noun());
    } else if (style < 0.50) {
      name = title(faker.word().verb()) + " the " + title(faker.word().noun());
    } else if (style < 0.62) {
      name = "Don't " + title(faker.word().verb()) + " " + title(faker.word().adverb());
    } else if (style < 0.74) {
      name = title(faker.word().noun()) + " in " + faker.address().cityName();
    } else if (style < 0.86) {
      name = title(faker.word().noun());
    } else {
      name = title(faker.word().verb()) + " " + title(faker.word().preposition()) + " Me";
    }
    double suffix = random.nextDouble();
    if (suffix < 0.04) {
      name += " (Remastered)";
    } else if (suffix < 0.07) {
      name += " - Live";
    } else if (suffix < 0.09) {
      name += " (feat. " + faker.name().firstName() + " " + faker.name().lastName() + ")";
    }
    return name;
  }

  private static String title(String words) {
    StringBuilder out = new StringBuilder(words.length());
    boolean start = true;
    for (char c : words.toCharArray()) {
      out.append(start ? Character.toUpperCase(c) : c);
      start = c == ' ' || c == '-';
    }
    return out.toString();
  }

  private static String plural(String noun) {
    if (noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("ch") || noun.endsWith("sh")) {
      return noun + "es";
    }
    if (noun.endsWith("y")
        && noun.length() > 1
        && "aeiou".indexOf(noun.charAt(noun.length() - 2)) < 0) {
      return noun.substring(0, noun.length() - 1) + "ies";
    }
    return noun + "s";
  }
}
