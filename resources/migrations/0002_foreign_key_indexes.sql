CREATE INDEX `attachments_session` ON `attachments` (`session_id`);--> statement-breakpoint
CREATE INDEX `tool_calls_step` ON `tool_calls` (`step_id`);