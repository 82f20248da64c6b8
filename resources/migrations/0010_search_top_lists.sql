CREATE TABLE `search_top_postings` (
	`term` text NOT NULL,
	`impact` real NOT NULL,
	`rid` integer NOT NULL,
	PRIMARY KEY(`term`, `impact`, `rid`)
);
--> statement-breakpoint
CREATE INDEX `search_top_postings_rid` ON `search_top_postings` (`rid`);--> statement-breakpoint
CREATE TABLE `search_top_terms` (
	`term` text PRIMARY KEY NOT NULL,
	`docs` integer NOT NULL,
	`threshold` real NOT NULL,
	`avgdl` real NOT NULL
);
--> statement-breakpoint
-- A one-message FTS index with the same tokenizer as messages_fts: the triggers below put a message's text in it to
-- learn its terms, their counts (tf) and its length (dl) exactly as messages_fts counts them, then empty it.
CREATE VIRTUAL TABLE `search_scratch` USING fts5(`text`, content='', tokenize='porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_scratch_terms` USING fts5vocab(`search_scratch`, row);
--> statement-breakpoint
-- Every term of the whole index with its message count: how the background refresh finds the common terms.
CREATE VIRTUAL TABLE `messages_fts_terms` USING fts5vocab(`messages_fts`, row);
--> statement-breakpoint
-- A newly indexed message (inserted finished, or finishing) joins the list of each tracked term it contains when its
-- impact reaches the list's threshold, and counts in the term's message count. Tracked 4-character prefixes (key
-- 'conf*') count all their expansions together, as FTS5 counts a prefix phrase. Nothing runs until a term is tracked.
CREATE TRIGGER `search_top_insert` AFTER INSERT ON `messages` WHEN new.status <> 'streaming' AND EXISTS (SELECT 1 FROM `search_top_terms`) BEGIN
  INSERT INTO `search_scratch`(rowid, `text`) VALUES (1, new.`text`);
  UPDATE `search_top_terms` SET `docs` = `docs` + 1 WHERE `term` IN (SELECT `term` FROM `search_scratch_terms` UNION SELECT substr(`term`, 1, 4) || '*' FROM `search_scratch_terms` WHERE length(`term`) >= 4);
  INSERT OR IGNORE INTO `search_top_postings`(`term`, `impact`, `rid`)
    SELECT `term`, `impact`, new.rowid FROM (
      SELECT t.`term`, t.`threshold`, v.`tf` * 2.2 / (v.`tf` + 1.2 * (0.25 + 0.75 * d.`dl` / t.`avgdl`)) AS `impact`
      FROM (
        SELECT `term` AS `key`, `cnt` AS `tf` FROM `search_scratch_terms`
        UNION ALL
        SELECT substr(`term`, 1, 4) || '*', sum(`cnt`) FROM `search_scratch_terms` WHERE length(`term`) >= 4 GROUP BY 1
      ) v JOIN `search_top_terms` t ON t.`term` = v.`key`, (SELECT sum(`cnt`) AS `dl` FROM `search_scratch_terms`) d
    ) WHERE `impact` >= `threshold`;
  INSERT INTO `search_scratch`(`search_scratch`) VALUES ('delete-all');
END;
--> statement-breakpoint
CREATE TRIGGER `search_top_finish` AFTER UPDATE OF `status` ON `messages` WHEN old.status = 'streaming' AND new.status <> 'streaming' AND EXISTS (SELECT 1 FROM `search_top_terms`) BEGIN
  INSERT INTO `search_scratch`(rowid, `text`) VALUES (1, new.`text`);
  UPDATE `search_top_terms` SET `docs` = `docs` + 1 WHERE `term` IN (SELECT `term` FROM `search_scratch_terms` UNION SELECT substr(`term`, 1, 4) || '*' FROM `search_scratch_terms` WHERE length(`term`) >= 4);
  INSERT OR IGNORE INTO `search_top_postings`(`term`, `impact`, `rid`)
    SELECT `term`, `impact`, new.rowid FROM (
      SELECT t.`term`, t.`threshold`, v.`tf` * 2.2 / (v.`tf` + 1.2 * (0.25 + 0.75 * d.`dl` / t.`avgdl`)) AS `impact`
      FROM (
        SELECT `term` AS `key`, `cnt` AS `tf` FROM `search_scratch_terms`
        UNION ALL
        SELECT substr(`term`, 1, 4) || '*', sum(`cnt`) FROM `search_scratch_terms` WHERE length(`term`) >= 4 GROUP BY 1
      ) v JOIN `search_top_terms` t ON t.`term` = v.`key`, (SELECT sum(`cnt`) AS `dl` FROM `search_scratch_terms`) d
    ) WHERE `impact` >= `threshold`;
  INSERT INTO `search_scratch`(`search_scratch`) VALUES ('delete-all');
END;
--> statement-breakpoint
CREATE TRIGGER `search_top_delete` AFTER DELETE ON `messages` WHEN old.status <> 'streaming' AND EXISTS (SELECT 1 FROM `search_top_terms`) BEGIN
  DELETE FROM `search_top_postings` WHERE `rid` = old.rowid;
  INSERT INTO `search_scratch`(rowid, `text`) VALUES (1, old.`text`);
  UPDATE `search_top_terms` SET `docs` = `docs` - 1 WHERE `term` IN (SELECT `term` FROM `search_scratch_terms` UNION SELECT substr(`term`, 1, 4) || '*' FROM `search_scratch_terms` WHERE length(`term`) >= 4);
  INSERT INTO `search_scratch`(`search_scratch`) VALUES ('delete-all');
END;
