ALTER TABLE `sessions` ADD `pinned_at` integer;--> statement-breakpoint
CREATE INDEX `sessions_pinned` ON `sessions` (`pinned_at`) WHERE pinned_at IS NOT NULL AND deleted_at IS NULL;