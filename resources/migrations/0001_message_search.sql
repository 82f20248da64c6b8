-- Full-text index over message text. Only finished messages are indexed: a finished message's text never
-- changes, so the index is written once per message instead of on every streaming flush.
CREATE VIRTUAL TABLE `messages_fts` USING fts5(`text`, content='messages', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `messages_fts_insert` AFTER INSERT ON `messages` WHEN new.status <> 'streaming' BEGIN
  INSERT INTO `messages_fts`(rowid, `text`) VALUES (new.rowid, new.`text`);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_finish` AFTER UPDATE OF `status` ON `messages` WHEN old.status = 'streaming' AND new.status <> 'streaming' BEGIN
  INSERT INTO `messages_fts`(rowid, `text`) VALUES (new.rowid, new.`text`);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_delete` AFTER DELETE ON `messages` WHEN old.status <> 'streaming' BEGIN
  INSERT INTO `messages_fts`(`messages_fts`, rowid, `text`) VALUES ('delete', old.rowid, old.`text`);
END;
