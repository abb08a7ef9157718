package io.cadenza.catalog.search;

/**
 * A type-ahead suggestion: an artist, album or track whose name matches what was typed.
 *
 * @param type {@link ItemType#ARTIST}, {@link ItemType#ALBUM} or {@link ItemType#TRACK}
 * @param id the item's id
 * @param text the item's name as the catalog spells it
 * @param score higher is better, comparable only within one answer
 */
public record Suggestion(ItemType type, String id, String text, float score) {}
