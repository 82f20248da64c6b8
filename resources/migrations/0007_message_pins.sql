ALTER TABLE `messages` ADD `pinned_at` integer;--> statement-breakpoint
CREATE INDEX `messages_pinned` ON `messages` (`session_id`) WHERE pinned_at IS NOT NULL;