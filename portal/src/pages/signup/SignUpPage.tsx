import { useState } from "react";
import { useForm } from "react-hook-form";
import { useLocation } from "react-router";
import { useAuth } from "../../auth/AuthContext";
import { createApi, unwrap } from "../../api/client";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Field } from "../../components/Field";
import { isSignInState } from "../../auth/userManager";

interface SignUpValues {
  email: string;
  password: string;
  organization: string;
}

/**
 * `/signup`: creates a user and their own tenant (`POST /v1/signup`, no credential), then signs in and opens the
 * new tenant, or goes back where the person came from (an invitation).
 */
export function SignUpPage({ baseUrl = window.location.origin }: { baseUrl?: string }) {
  const { signIn } = useAuth();
  const location = useLocation();
  const [api] = useState(() => createApi({ baseUrl, getAccessToken: async () => null }));
  const [failure, setFailure] = useState<unknown>(null);
  const { register, handleSubmit, formState } = useForm<SignUpValues>();
  const errors = formState.errors;

  async function submit(values: SignUpValues) {
    setFailure(null);
    try {
      const created = await unwrap(api.POST("/v1/signup", { body: values }));
      const returnTo = isSignInState(location.state) ? location.state.returnTo : `/t/${encodeURIComponent(created.tenant_id)}/overview`;
      await signIn(returnTo);
    } catch (error) {
      setFailure(error);
    }
  }

  return (
    <main className="center">
      <h1>Create an account</h1>
      <form onSubmit={handleSubmit(submit)} noValidate aria-label="Create an account">
        <Field label="Email" error={errors.email?.message}>
          {(control) => <input type="email" autoComplete="email" {...control} {...register("email", { required: "Email is required." })} />}
        </Field>
        <Field label="Password" error={errors.password?.message} hint="10 to 128 characters, not a common password.">
          {(control) => (
            <input
              type="password"
              autoComplete="new-password"
              {...control}
              {...register("password", { required: "Password is required.", minLength: { value: 10, message: "Password: at least 10 characters." } })}
            />
          )}
        </Field>
        <Field label="Organization" error={errors.organization?.message}>
          {(control) => <input autoComplete="organization" {...control} {...register("organization", { required: "Organization is required." })} />}
        </Field>
        <ProblemMessage error={failure} prefix="Could not create the account." />
        <div className="actions">
          <button type="button" onClick={() => void signIn(isSignInState(location.state) ? location.state.returnTo : "/")}>
            I have an account: sign in
          </button>
          <button type="submit" className="primary" disabled={formState.isSubmitting}>
            Create account
          </button>
        </div>
      </form>
    </main>
  );
}
