package io.cadenza.catalog.it;

import static io.cadenza.catalog.it.CatalogStack.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.EntityType;
import io.cadenza.catalog.model.Track;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Every write is announced once on the real catalog-changes topic: a consumer of a fresh group,
 * placed at the end of every partition before the writes, reads up to the end offsets after them
 * (no waiting on time), and finds exactly the expected events for this test's (random) ids.
 */
class CatalogChangesIT {

  @Test
  void everyWriteProducesExactlyItsChangeEventKeyedByTheEntityId() throws Exception {
    try (CatalogStack stack = CatalogStack.open();
        KafkaConsumer<String, byte[]> consumer = consumer(stack)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(CatalogChange.TOPIC).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // fixes the start before writing

      Artist artist = Fixtures.artist("Events", List.of("Dub"), 20);
      Album album = Fixtures.album(artist, "Events", "2015-05-05", "day", 2);
      Track one = Fixtures.track(album, 1, 1, 10);
      Track two = Fixtures.track(album, 1, 2, 20);
      List<CatalogChange> returned = new ArrayList<>();
      returned.add(await(stack.repository.putArtist(artist)));
      returned.add(await(stack.repository.putAlbum(album)));
      returned.add(await(stack.repository.putTrack(one)));
      returned.add(await(stack.repository.putTrack(two)));
      Track twoAgain =
          new Track(
              two.id(),
              two.name(),
              two.albumId(),
              two.artistIds(),
              1,
              2,
              two.durationMs(),
              two.explicit(),
              two.isrc(),
              two.genres(),
              99);
      returned.add(await(stack.repository.putTrack(twoAgain)));
      returned.add(await(stack.repository.deleteTrack(one.id())));

      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Set<String> ours = Set.of(artist.id(), album.id(), one.id(), two.id());
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (ours.contains(record.key())) {
            records.add(record);
          }
        }
      }

      List<CatalogChange> events = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : records) {
        CatalogChange change = CatalogChange.fromBytes(record.value());
        assertThat(record.key()).isEqualTo(change.id());
        events.add(change);
      }
      assertThat(events).containsExactlyInAnyOrderElementsOf(returned);
      assertThat(events)
          .extracting(CatalogChange::type, CatalogChange::id, CatalogChange::op)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(
                  EntityType.ARTIST, artist.id(), CatalogChange.Op.UPSERT),
              org.assertj.core.groups.Tuple.tuple(
                  EntityType.ALBUM, album.id(), CatalogChange.Op.UPSERT),
              org.assertj.core.groups.Tuple.tuple(
                  EntityType.TRACK, one.id(), CatalogChange.Op.UPSERT),
              org.assertj.core.groups.Tuple.tuple(
                  EntityType.TRACK, two.id(), CatalogChange.Op.UPSERT),
              org.assertj.core.groups.Tuple.tuple(
                  EntityType.TRACK, two.id(), CatalogChange.Op.UPSERT),
              org.assertj.core.groups.Tuple.tuple(
                  EntityType.TRACK, one.id(), CatalogChange.Op.DELETE));
      // Per entity, the partition's order is the order of the writes, with rising versions.
      List<CatalogChange> ofTwo = events.stream().filter(e -> e.id().equals(two.id())).toList();
      assertThat(ofTwo.get(0).version()).isLessThan(ofTwo.get(1).version());
      List<CatalogChange> ofOne = events.stream().filter(e -> e.id().equals(one.id())).toList();
      assertThat(ofOne)
          .extracting(CatalogChange::op)
          .containsExactly(CatalogChange.Op.UPSERT, CatalogChange.Op.DELETE);
      assertThat(new HashSet<>(events.stream().map(CatalogChange::version).toList()))
          .hasSize(events.size());
    }
  }

  private static KafkaConsumer<String, byte[]> consumer(CatalogStack stack) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.settings.kafka().bootstrapServersString(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "catalog-changes-it-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }
}
