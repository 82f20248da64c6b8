CREATE TABLE `summaries` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`from_message_id` text NOT NULL,
	`to_message_id` text NOT NULL,
	`to_depth` integer NOT NULL,
	`message_count` integer NOT NULL,
	`previous_id` text,
	`text` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`trigger` text NOT NULL,
	`quality` text NOT NULL,
	`coverage` real NOT NULL,
	`input_tokens` integer,
	`output_tokens` integer,
	`cost_usd` real,
	`edited_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`from_message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`to_message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `summaries_session` ON `summaries` (`session_id`,`to_depth`);--> statement-breakpoint
CREATE INDEX `summaries_to` ON `summaries` (`to_message_id`);--> statement-breakpoint
CREATE INDEX `summaries_from` ON `summaries` (`from_message_id`);