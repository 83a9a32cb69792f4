import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { PageLoadFailed, PageLoading } from './StatusScreens.tsx';

/** Marks a failed fetch of a page's code, so the boundary below handles that and nothing else. */
class PageLoadError extends Error {}

/**
 * A route's page whose code is fetched the first time it is shown, so the sign-in page does not
 * download the debrief (Yjs, the body map) or the review. `what` names it: "Loading the debrief…".
 */
export function lazyPage<P extends object = object>(
  load: () => Promise<ComponentType<P>>,
  what: string,
): ComponentType<P> {
  const Page = lazy(() =>
    load().then(
      (component) => ({ default: component }),
      (err: unknown) => {
        throw new PageLoadError(`Could not load ${what}`, { cause: err });
      },
    ),
  );
  function LazyPage(props: P) {
    return (
      <PageLoadBoundary what={what}>
        <Suspense fallback={<PageLoading label={`Loading ${what}…`} />}>
          <Page {...props} />
        </Suspense>
      </PageLoadBoundary>
    );
  }
  LazyPage.displayName = `Lazy(${what})`;
  return LazyPage;
}

interface BoundaryProps {
  what: string;
  children: ReactNode;
}

/** Shows a way out when the page's code did not arrive; any other error goes on up, as before. */
class PageLoadBoundary extends Component<BoundaryProps, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    if (error instanceof PageLoadError) return <PageLoadFailed what={this.props.what} />;
    throw error;
  }
}
