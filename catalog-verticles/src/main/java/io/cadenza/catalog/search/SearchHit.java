package io.cadenza.catalog.search;

/**
 * One item of a result page: the item's id (the edge renders the Spotify object from the catalog)
 * and its score, higher is better, comparable only within one page.
 */
public record SearchHit(String id, float score) {}
