CREATE TABLE `message_embeddings` (
	`message_id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`model` text NOT NULL,
	`dims` integer NOT NULL,
	`embedding` F32_BLOB NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `message_embeddings_model_session` ON `message_embeddings` (`model`,`session_id`);